//! Which rows of a long table to draw (virtual scrolling): only those in the scrollable
//! region's view and a margin around them, with spacers standing in for the rest, so that a
//! table of a million rows costs the page what a table of a hundred does. Plain logic,
//! natively tested; `components/table.rs` measures the region and draws the slice.

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
        let first =
            ((v.scroll_top / v.row_height).floor() as usize).min(total.saturating_sub(in_view));
        let start = first.saturating_sub(OVERSCAN);
        let end = (first + in_view + OVERSCAN).min(total);
        Slice {
            start,
            end,
            before_px: start as f64 * v.row_height,
            after_px: (total - end) as f64 * v.row_height,
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
        let s = view(0.0).slice(1_000_000);
        assert_eq!((s.start, s.end), (0, 11 + OVERSCAN));
        assert_eq!(s.before_px, 0.0);
        assert_eq!(s.after_px, (1_000_000 - s.end) as f64 * 32.0);
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
