//! Which rows of a long table to draw (virtual scrolling): only those in the scrollable
//! region's view and a margin around them, with spacers standing in for the rest, so that a
//! table of a million rows costs the page what a table of a hundred does. Browsers cap an
//! element's height (Chromium at about 33.5 million px, Firefox at about 17.9 million), so past
//! [`MAX_HEIGHT_PX`] the rows not drawn stand in for less than their height and the scrollbar
//! maps onto the rows in proportion. Plain logic, natively tested; `components/table.rs`
//! measures the region and draws the slice.

/// What the table's region measured: where it is scrolled to, how tall its view is and how
/// tall a drawn row is (all in CSS pixels).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    /// The region's `scrollTop`.
    pub scroll_top: f64,
    /// The region's visible height (`clientHeight`), the header row included.
    pub height: f64,
    /// A drawn row's height: the drawn rows' height over their number.
    pub row_height: f64,
}

impl Default for Viewport {
    /// Before anything is measured: the top of a tall region (34rem) of rows about 2rem high.
    fn default() -> Self {
        Viewport {
            scroll_top: 0.0,
            height: 544.0,
            row_height: 32.0,
        }
    }
}

/// Rows drawn beyond each edge of the view, so that scrolling by a few rows (arrow keys,
/// the wheel) shows rows already drawn while the next slice is made.
pub const OVERSCAN: usize = 20;

/// The tallest a table may be, px: well under every browser's limit.
pub const MAX_HEIGHT_PX: f64 = 8_000_000.0;

/// A new measure of the row height replaces the one in use only when it differs by more than
/// this (px): layouts round positions to whole pixels, and a row height that flickered by a
/// fraction of a pixel would move the spacers, and with them the rows, on every redraw.
pub const ROW_HEIGHT_TOLERANCE_PX: f64 = 0.5;

/// The rows to draw, `start..end` of the table's rows, and the spacers' heights standing in
/// for the rows before and after them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slice {
    /// First row drawn.
    pub start: usize,
    /// One past the last row drawn.
    pub end: usize,
    /// Height of the spacer before the first drawn row, px.
    pub before_px: f64,
    /// Height of the spacer after the last drawn row, px.
    pub after_px: f64,
}

impl Viewport {
    /// Whether measured values can be used (finite, a row of positive height): a region not
    /// laid out yet (hidden, zero height) keeps the defaults.
    pub fn is_usable(&self) -> bool {
        self.scroll_top.is_finite()
            && self.scroll_top >= 0.0
            && self.height.is_finite()
            && self.height > 0.0
            && self.row_height.is_finite()
            && self.row_height > 0.0
    }

    /// The slice of a table of `total` rows to draw: the rows the view shows, and
    /// [`OVERSCAN`] more on each side. A view scrolled past the end (the rows were filtered
    /// down meanwhile) shows the last rows.
    pub fn slice(&self, total: usize) -> Slice {
        let v = if self.is_usable() {
            *self
        } else {
            Viewport::default()
        };
        let in_view = (v.height / v.row_height).ceil() as usize + 1;
        // What a row not drawn stands in for: its height, or less in a table that would be
        // taller than the cap.
        let hidden = total.saturating_sub(in_view + 2 * OVERSCAN).max(1) as f64;
        let room = MAX_HEIGHT_PX - (in_view + 2 * OVERSCAN) as f64 * v.row_height;
        let stand_in = v.row_height.min(room / hidden);
        let first = ((v.scroll_top / stand_in).floor() as usize).min(total.saturating_sub(in_view));
        let start = first.saturating_sub(OVERSCAN);
        let end = (first + in_view + OVERSCAN).min(total);
        Slice {
            start,
            end,
            before_px: start as f64 * stand_in,
            after_px: (total - end) as f64 * stand_in,
        }
    }

    /// `measured` in place of this viewport, keeping this row height unless the new one
    /// differs by more than [`ROW_HEIGHT_TOLERANCE_PX`].
    pub fn remeasured(&self, measured: Viewport) -> Viewport {
        let keep = self.is_usable()
            && (measured.row_height - self.row_height).abs() <= ROW_HEIGHT_TOLERANCE_PX;
        Viewport {
            row_height: if keep {
                self.row_height
            } else {
                measured.row_height
            },
            ..measured
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(scroll_top: f64) -> Viewport {
        Viewport {
            scroll_top,
            height: 320.0,
            row_height: 32.0,
        }
    }

    #[test]
    fn the_top_of_a_long_table_draws_the_view_and_the_margin_below() {
        // 320 px show 10 rows (11 with a partly shown one).
        let s = view(0.0).slice(200_000);
        assert_eq!((s.start, s.end), (0, 11 + OVERSCAN));
        assert_eq!(s.before_px, 0.0);
        assert_eq!(s.after_px, (200_000 - s.end) as f64 * 32.0);
    }

    #[test]
    fn a_scrolled_view_draws_its_rows_with_spacers_that_keep_the_full_height() {
        let total = 10_000;
        // Scrolled to row 5,000 and a half.
        let s = view(5_000.5 * 32.0).slice(total);
        assert_eq!((s.start, s.end), (5_000 - OVERSCAN, 5_000 + 11 + OVERSCAN));
        let drawn = (s.end - s.start) as f64 * 32.0;
        assert_eq!(s.before_px + drawn + s.after_px, total as f64 * 32.0);
        // At most the view and two margins, whatever the size.
        assert!(s.end - s.start <= 11 + 2 * OVERSCAN);
    }

    #[test]
    fn the_end_short_tables_and_a_view_past_the_end() {
        // The last rows: nothing after them.
        let s = view(1e9).slice(10_000);
        assert_eq!(s.end, 10_000);
        assert_eq!(s.after_px, 0.0);
        assert_eq!(s.start, 10_000 - 11 - OVERSCAN);
        // A table shorter than the view is drawn whole, wherever it was scrolled.
        for top in [0.0, 500.0, 1e9] {
            let s = view(top).slice(7);
            assert_eq!((s.start, s.end, s.before_px, s.after_px), (0, 7, 0.0, 0.0));
        }
        let s = view(0.0).slice(0);
        assert_eq!((s.start, s.end), (0, 0));
    }

    #[test]
    fn a_table_taller_than_the_cap_maps_the_scrollbar_onto_every_row() {
        let total = 1_000_000;
        let rows_px = 34.27;
        let at = |scroll_top| Viewport {
            scroll_top,
            height: 544.0,
            row_height: rows_px,
        };
        let top = at(0.0).slice(total);
        let drawn = (top.end - top.start) as f64 * rows_px;
        let height = top.before_px + drawn + top.after_px;
        assert!(height <= MAX_HEIGHT_PX, "{height}");
        assert!(height > MAX_HEIGHT_PX * 0.99, "{height}");
        // Scrolled to the end (the region's scrollTop at its largest): the last rows.
        let end = at(height - 544.0).slice(total);
        assert_eq!(end.end, total);
        assert_eq!(end.after_px, 0.0);
        // Half way down: the middle rows.
        let mid = at((height - 544.0) / 2.0).slice(total);
        let middle = (mid.start + mid.end) / 2;
        assert!(middle.abs_diff(total / 2) < 100, "{middle}");
        // A table under the cap keeps every row's own height.
        let short = at(0.0).slice(100_000);
        assert_eq!(short.after_px, (100_000 - short.end) as f64 * rows_px);
    }

    #[test]
    fn a_row_height_that_moves_by_a_fraction_of_a_pixel_is_kept() {
        let v = view(0.0);
        let again = Viewport {
            scroll_top: 640.0,
            row_height: 32.3,
            ..v
        };
        assert_eq!(
            v.remeasured(again),
            Viewport {
                row_height: 32.0,
                ..again
            }
        );
        let bigger = Viewport {
            row_height: 40.0,
            ..again
        };
        assert_eq!(v.remeasured(bigger), bigger);
        assert_eq!(Viewport::default().remeasured(bigger), bigger);
    }

    #[test]
    fn unmeasured_or_broken_measures_fall_back_to_the_defaults() {
        for broken in [
            Viewport {
                row_height: 0.0,
                ..view(0.0)
            },
            Viewport {
                height: 0.0,
                ..view(0.0)
            },
            Viewport {
                scroll_top: f64::NAN,
                ..view(0.0)
            },
            Viewport {
                row_height: f64::INFINITY,
                ..view(0.0)
            },
            Viewport {
                scroll_top: -5.0,
                ..view(0.0)
            },
        ] {
            assert!(!broken.is_usable());
            assert_eq!(broken.slice(1_000), Viewport::default().slice(1_000));
        }
        // The default draws the tall region's rows and the margin.
        let s = Viewport::default().slice(1_000);
        assert_eq!((s.start, s.end), (0, 18 + OVERSCAN));
    }
}
