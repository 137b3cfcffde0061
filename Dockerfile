# syntax=docker/dockerfile:1
# sepsis-risk: the browser app served as static files by nginx.
#
#   docker build -t sepsis-risk .
#   docker run --rm -p 8080:8080 sepsis-risk        # http://localhost:8080
#
# The build stage runs the same scripts as CI (scripts/build-web.sh, scripts/render-nginx.sh),
# so every step here is exercised on machines without a Docker engine too.

# ---- build: Rust 1.95 with the wasm32 target, Trunk and wasm-bindgen-cli from crates.io ----
FROM rust:1.95.0-slim-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends binaryen perl ca-certificates \
 && rm -rf /var/lib/apt/lists/*
RUN rustup target add wasm32-unknown-unknown
# Pinned tool versions: Trunk 0.21.14; wasm-bindgen-cli must equal the wasm-bindgen crate in
# Cargo.lock (scripts/setup.sh reads it from there; keep this line in step).
RUN cargo install trunk --version 0.21.14 --locked \
 && cargo install wasm-bindgen-cli --version 0.2.130
WORKDIR /src
COPY . .
RUN scripts/build-web.sh \
 && mkdir -p /srv/www \
 && cp -a dist/. /srv/www/ \
 && scripts/render-nginx.sh --root /srv/www --rundir /srv/nginx --listen 8080 \
 # The runtime stage runs nginx as an unprivileged user: no `user` directive.
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
