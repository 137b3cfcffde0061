//! The app's one data table: typed columns over rows of any type, in a scrollable region;
//! long tables draw only the rows in view ([`crate::app::virtual_rows`]).

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::results::{self, SortDir, SortKey};
use crate::app::virtual_rows::{Slice, Viewport};

/// How a column's cells are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// Plain text (`<td>`).
    Text,
    /// A number, right-aligned (`<td class="num">`).
    Num,
    /// The row's header (`<th scope="row">`).
    RowHeader,
    /// `<td>` with this CSS class.
    Class(&'static str),
}

/// One column of a [`Table`]: its header, how its cells are drawn, the cell of a row, and
/// (results table) the sort key its header button sorts by.
pub struct Column<T> {
    header: String,
    kind: CellKind,
    sort: Option<SortKey>,
    cell: Arc<dyn Fn(&T) -> AnyView + Send + Sync>,
}

impl<T> Clone for Column<T> {
    fn clone(&self) -> Self {
        Self {
            header: self.header.clone(),
            kind: self.kind,
            sort: self.sort,
            cell: Arc::clone(&self.cell),
        }
    }
}

impl<T> Column<T> {
    /// A column of `kind` whose cell for a row is `cell(row)`.
    pub fn new<V: IntoView + 'static>(
        header: impl Into<String>,
        kind: CellKind,
        cell: impl Fn(&T) -> V + Send + Sync + 'static,
    ) -> Self {
        Self {
            header: header.into(),
            kind,
            sort: None,
            cell: Arc::new(move |row| cell(row).into_any()),
        }
    }

    /// A text column.
    pub fn text<V: IntoView + 'static>(
        header: impl Into<String>,
        cell: impl Fn(&T) -> V + Send + Sync + 'static,
    ) -> Self {
        Self::new(header, CellKind::Text, cell)
    }

    /// A numeric column.
    pub fn num<V: IntoView + 'static>(
        header: impl Into<String>,
        cell: impl Fn(&T) -> V + Send + Sync + 'static,
    ) -> Self {
        Self::new(header, CellKind::Num, cell)
    }

    /// The row-header column.
    pub fn row_header<V: IntoView + 'static>(
        header: impl Into<String>,
        cell: impl Fn(&T) -> V + Send + Sync + 'static,
    ) -> Self {
        Self::new(header, CellKind::RowHeader, cell)
    }

    /// The column's header is a button sorting by `key` (with the table's `sort`).
    pub fn sorted_by(mut self, key: SortKey) -> Self {
        self.sort = Some(key);
        self
    }
}

/// A row's `class` and `data-line` attributes.
pub type RowAttr<T, A> = Arc<dyn Fn(&T) -> A + Send + Sync>;

/// The scrollable region around a table (`role="region"`, focusable), named by `label`
/// (`aria-label`) or by the element `labelled_by` (`aria-labelledby`).
#[derive(Debug, Clone, Default)]
pub struct Region {
    /// `aria-label` of the region.
    pub label: Option<&'static str>,
    /// `aria-labelledby` of the region.
    pub labelled_by: Option<&'static str>,
    /// A taller region (long tables: results, problems).
    pub tall: bool,
    /// Draw only the rows in view and a margin ([`crate::app::virtual_rows`]): for tables of
    /// any length (results, problems, a stay's hours). Their cells do not wrap, so that every
    /// row has the same height.
    pub virtual_rows: bool,
}

impl Region {
    /// A region named by its own label.
    pub fn label(label: &'static str) -> Self {
        Self {
            label: Some(label),
            ..Self::default()
        }
    }

    /// A region named by the heading `id`.
    pub fn labelled_by(id: &'static str) -> Self {
        Self {
            labelled_by: Some(id),
            ..Self::default()
        }
    }

    /// The taller region.
    pub fn tall(mut self) -> Self {
        self.tall = true;
        self
    }

    /// The taller region, drawing only the rows in view.
    pub fn long(mut self) -> Self {
        self.tall = true;
        self.virtual_rows = true;
        self
    }
}

/// A table (`data-testid=testid`) with one header row of the columns' headers and one row
/// per item of `rows` (reactive), each cell drawn by its column. With `sort`, the headers of
/// columns with a sort key are buttons (`data-sort`, `aria-sort`): the first click sorts by
/// the column ([`results::next_sort`]), the next reverses it. `empty` is the one row shown
/// when there are no rows. In a [`Region::long`] region only the rows in view are drawn,
/// between spacers of the others' height, each with its `aria-rowindex` (the table has its
/// `aria-rowcount`): the region's scrolling (keyboard included, it is focusable) draws the
/// next ones.
#[component]
pub fn Table<T>(
    /// `data-testid` of the `<table>`.
    testid: &'static str,
    /// The columns, in order.
    columns: Vec<Column<T>>,
    /// The rows.
    #[prop(into)]
    rows: Signal<Vec<T>>,
    /// The scrollable region around the table.
    region: Region,
    /// The `class` of a row.
    #[prop(optional)]
    row_class: Option<RowAttr<T, &'static str>>,
    /// The `data-line` of a row (its line in the file).
    #[prop(optional)]
    row_line: Option<RowAttr<T, usize>>,
    /// The sort order the sortable headers set.
    #[prop(optional)]
    sort: Option<RwSignal<(SortKey, SortDir)>>,
    /// The text of the row shown when there are no rows.
    #[prop(optional)]
    empty: Option<&'static str>,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
{
    let n = columns.len();
    let headers = columns
        .iter()
        .map(|c| match (c.sort, sort) {
            (Some(key), Some(sort)) => {
                view! { <SortHeader title=c.header.clone() key sort/> }.into_any()
            }
            _ => view! { <th scope="col">{c.header.clone()}</th> }.into_any(),
        })
        .collect_view();
    let row_view = move |r: &T, index: Option<usize>| {
        let cells = columns.iter().map(|c| cell(c, r)).collect_view();
        view! {
            <tr class=row_class.as_ref().map(|f| f(r)) data-line=row_line.as_ref().map(|f| f(r))
                aria-rowindex=index.map(|i| (i + 2).to_string())>
                {cells}
            </tr>
        }
    };
    let viewport = RwSignal::new(Viewport::default());
    let slice = Memo::new(move |_| {
        let total = rows.with(Vec::len);
        if region.virtual_rows {
            viewport.get().slice(total)
        } else {
            Slice {
                start: 0,
                end: total,
                before_px: 0.0,
                after_px: 0.0,
            }
        }
    });
    let body = move || {
        let s = slice.get();
        rows.with(|rows| {
            let none = (rows.is_empty())
                .then(|| empty.map(|e| view! { <tr><td colspan=n.to_string()>{e}</td></tr> }));
            let index = |i| region.virtual_rows.then_some(i);
            let trs = rows[s.start..s.end]
                .iter()
                .enumerate()
                .map(|(k, r)| row_view(r, index(s.start + k)))
                .collect_view();
            let spacer = |px: f64| {
                (px > 0.0).then(|| {
                    view! {
                        <tr class="spacer" aria-hidden="true">
                            <td colspan=n.to_string() style=format!("height: {px}px")></td>
                        </tr>
                    }
                })
            };
            view! { {none} {spacer(s.before_px)} {trs} {spacer(s.after_px)} }
        })
    };
    let scroller = NodeRef::<leptos::html::Div>::new();
    let tbody = NodeRef::<leptos::html::Tbody>::new();
    // (The `try_` reads: a frame's measure may come after the table is gone.)
    let measure = move || {
        let (Some(Some(div)), Some(Some(tb)), Some(drawn), Some(now)) = (
            scroller.try_get_untracked(),
            tbody.try_get_untracked(),
            slice.try_with_untracked(|s| s.end - s.start),
            viewport.try_get_untracked(),
        ) else {
            return;
        };
        let measured = Viewport {
            scroll_top: f64::from(div.scroll_top()),
            height: f64::from(div.client_height()),
            row_height: drawn_row_height(&tb, drawn).unwrap_or(f64::NAN),
        };
        let next = now.remeasured(measured);
        if measured.is_usable() && next != now {
            viewport.try_set(next);
        }
    };
    if region.virtual_rows {
        // Once drawn: the region's real height and rows.
        Effect::new(move |_| {
            slice.track();
            request_animation_frame(measure);
        });
    }
    view! {
        <div class="table-scroll" class:tall=region.tall class:windowed=region.virtual_rows
            role="region" aria-label=region.label aria-labelledby=region.labelled_by tabindex="0"
            node_ref=scroller on:scroll=move |_| if region.virtual_rows { measure() }>
            <table data-testid=testid
                aria-rowcount=move || {
                    let n = rows.with(Vec::len);
                    (region.virtual_rows && n > 0).then(|| (n + 1).to_string())
                }>
                <thead><tr aria-rowindex=region.virtual_rows.then_some("1")>{headers}</tr></thead>
                <tbody node_ref=tbody>{body}</tbody>
            </table>
        </div>
    }
}

/// The mean height of the `drawn` data rows of `tbody` (between its spacers), px.
fn drawn_row_height(tbody: &web_sys::HtmlElement, drawn: usize) -> Option<f64> {
    let row =
        |e: Option<web_sys::Element>| e.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    let spacer = |e: &web_sys::HtmlElement| e.class_name() == "spacer";
    let mut first = row(tbody.first_element_child())?;
    if spacer(&first) {
        first = row(first.next_element_sibling())?;
    }
    let mut last = row(tbody.last_element_child())?;
    if spacer(&last) {
        last = row(last.previous_element_sibling())?;
    }
    // Fractional positions (offsetTop and offsetHeight are rounded to whole pixels).
    let span = last.get_bounding_client_rect().bottom() - first.get_bounding_client_rect().top();
    (drawn > 0 && !spacer(&first)).then(|| span / drawn as f64)
}

/// One cell of `row` in column `c`.
fn cell<T>(c: &Column<T>, row: &T) -> AnyView {
    let content = (c.cell)(row);
    match c.kind {
        CellKind::Text => view! { <td>{content}</td> }.into_any(),
        CellKind::Num => view! { <td class="num">{content}</td> }.into_any(),
        CellKind::RowHeader => view! { <th scope="row">{content}</th> }.into_any(),
        CellKind::Class(class) => view! { <td class=class>{content}</td> }.into_any(),
    }
}

/// A sortable column header: a button that sorts by `key`, with `aria-sort` and an arrow.
#[component]
fn SortHeader(title: String, key: SortKey, sort: RwSignal<(SortKey, SortDir)>) -> impl IntoView {
    let aria = move || {
        let (k, d) = sort.get();
        if k == key { d.aria() } else { "none" }
    };
    let arrow = move || {
        let (k, d) = sort.get();
        match (k == key, d) {
            (false, _) => "",
            (true, SortDir::Ascending) => " ▲",
            (true, SortDir::Descending) => " ▼",
        }
    };
    view! {
        <th scope="col" aria-sort=aria>
            <button type="button" class="sort" data-sort=key.attr()
                on:click=move |_| sort.update(|s| *s = results::next_sort(*s, key))>
                {title} <span aria-hidden="true">{arrow}</span>
            </button>
        </th>
    }
}
