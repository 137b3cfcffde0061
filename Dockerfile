# syntax=docker/dockerfile:1
# sepsis-risk: the browser app served as static files by nginx.
#
#   docker build -t sepsis-risk .
#   docker run --rm -p 8080:8080 sepsis-risk        # http://localhost:8080
#
# The build stage runs the same scripts as CI (scripts/build-web.sh, scripts/render-nginx.sh),
# so every step here is exercised on machines without a Docker engine too.

# ---- build: Rust 1.95 + the browser toolchain, installed by the same script CI uses ----
FROM rust:1.95.0-slim-bookworm AS build
WORKDIR /src
# The install step first, for layer caching: scripts/setup.sh --web adds the wasm32 target,
# Trunk 0.21.14, wasm-bindgen-cli at the version in Cargo.lock and wasm-opt (npm binaryen 132,
# with Debian's Node.js and npm).
COPY scripts/setup.sh scripts/setup.sh
COPY Cargo.lock Cargo.lock
RUN apt-get update \
 && apt-get install -y --no-install-recommends perl ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && scripts/setup.sh --web
COPY . .
# The runtime stage runs nginx as an unprivileged user, so the rendered config loses its
# `user` directive.
RUN scripts/build-web.sh \
 && mkdir -p /srv/www \
 && cp -a dist/. /srv/www/ \
 && scripts/render-nginx.sh --root /srv/www --rundir /srv/nginx --listen 8080 \
 && sed -i '/^user /d' /srv/nginx/nginx.conf

# ---- runtime: nginx only, no build tools, unprivileged, port 8080 ----
FROM nginx:1.27.5-alpine AS runtime
COPY --from=build --chown=nginx:nginx /srv/www /srv/www
COPY --from=build --chown=nginx:nginx /srv/nginx /srv/nginx
USER nginx
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
  CMD wget -q -O /dev/null http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["nginx", "-p", "/srv/nginx", "-e", "stderr", "-c", "/srv/nginx/nginx.conf"]
