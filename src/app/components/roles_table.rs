//! The role mapping's fields: the format's name, the label's positive values, hourly or
//! not, and per column its role, not-measured codes and (hourly data) whether it stays the
//! same during a stay. Drawn from the mapping as it is; each edit updates it.

use leptos::prelude::*;

use crate::app::role_mapping::{ColumnRole, RoleMapping};

/// The fields of `mapping` (which must hold a mapping).
#[component]
pub fn RolesTable(mapping: RwSignal<Option<RoleMapping>>) -> impl IntoView {
    let set = move |f: Box<dyn FnOnce(&mut RoleMapping)>| {
        mapping.update(|m| {
            if let Some(m) = m {
                f(m)
            }
        })
    };
    let Some(m) = mapping.get_untracked() else {
        return ().into_any();
    };
    let hourly = m.hourly;
    view! {
        <div class="form-grid">
            <label for="roles-name">"Name of the format"</label>
            <input id="roles-name" data-testid="roles-name" prop:value=m.name.clone()
                on:change=move |ev| { let v = event_target_value(&ev); set(Box::new(move |m| m.name = v)) }/>
            <label for="roles-positive">"Label values that mean the outcome happened (comma-separated)"</label>
            <input id="roles-positive" data-testid="roles-positive" prop:value=m.positive.clone()
                on:change=move |ev| { let v = event_target_value(&ev); set(Box::new(move |m| m.positive = v)) }/>
            <label for="roles-hourly">"One row per patient and hour"</label>
            <input id="roles-hourly" data-testid="roles-hourly" type="checkbox" prop:checked=hourly
                on:change=move |ev| { let v = event_target_checked(&ev); set(Box::new(move |m| m.hourly = v)) }/>
        </div>
        <div class="table-wrap" role="region" aria-label="Column roles" tabindex="0">
            <table data-testid="roles-table">
                <thead><tr>
                    <th scope="col">"Column"</th><th scope="col">"Values seen"</th>
                    <th scope="col">"Role"</th><th scope="col">"Not-measured codes"</th>
                    {hourly.then(|| view! { <th scope="col">"Same all stay"</th> })}
                </tr></thead>
                <tbody>
                    {m.columns.iter().enumerate().map(|(i, c)| {
                        let role_id = format!("role-{i}");
                        let missing_id = format!("missing-{i}");
                        let role = c.role;
                        view! {
                            <tr>
                                <th scope="row"><label for=role_id.clone()>{c.column.clone()}</label></th>
                                <td>{c.sample.join(", ")}</td>
                                <td>
                                    <select id=role_id.clone() data-testid=role_id
                                        on:change=move |ev| {
                                            let v = ColumnRole::from_key(&event_target_value(&ev));
                                            set(Box::new(move |m| if let Some(r) = v { m.columns[i].role = r }))
                                        }>
                                        {ColumnRole::ALL.into_iter().map(|r| view! {
                                            <option value=r.key() selected=r == role>{r.title()}</option>
                                        }).collect_view()}
                                    </select>
                                </td>
                                <td>
                                    <input id=missing_id.clone() data-testid=missing_id.clone() inputmode="decimal"
                                        aria-label=format!("Not-measured codes of {}", c.column)
                                        prop:value=c.missing.clone()
                                        on:change=move |ev| { let v = event_target_value(&ev); set(Box::new(move |m| m.columns[i].missing = v)) }/>
                                </td>
                                {hourly.then(|| {
                                    let checked = c.static_column;
                                    view! {
                                        <td><input type="checkbox" prop:checked=checked
                                            aria-label=format!("{} is the same all stay", c.column)
                                            on:change=move |ev| { let v = event_target_checked(&ev); set(Box::new(move |m| m.columns[i].static_column = v)) }/></td>
                                    }
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
