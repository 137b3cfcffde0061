//! The app's one data table: typed columns over rows of any type, in a scrollable region.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::results::{self, SortDir, SortKey};

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
}

/// A table (`data-testid=testid`) with one header row of the columns' headers and one row
/// per item of `rows` (reactive), each cell drawn by its column. With `sort`, the headers of
/// columns with a sort key are buttons (`data-sort`, `aria-sort`): the first click sorts by
/// the column ([`results::next_sort`]), the next reverses it. `empty` is the one row shown
/// when there are no rows.
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
    let body = move || {
        let rows = rows.get();
        let none = (rows.is_empty())
            .then(|| empty.map(|e| view! { <tr><td colspan=n.to_string()>{e}</td></tr> }));
        let trs = rows
            .iter()
            .map(|r| {
                let cells = columns.iter().map(|c| cell(c, r)).collect_view();
                view! {
                    <tr class=row_class.as_ref().map(|f| f(r)) data-line=row_line.as_ref().map(|f| f(r))>
                        {cells}
                    </tr>
                }
            })
            .collect_view();
        view! { {none} {trs} }
    };
    view! {
        <div class="table-scroll" class:tall=region.tall role="region" aria-label=region.label
            aria-labelledby=region.labelled_by tabindex="0">
            <table data-testid=testid>
                <thead><tr>{headers}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
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
