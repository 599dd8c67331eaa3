//! Buttons that save a table as CSV or as an Excel workbook (XLSX). The page hands over
//! a typed [`Table`] built from the same figures it shows (every row, not only the ones
//! on screen); [`saha_core::export`] writes the file on the device, so it works
//! offline.

use leptos::prelude::*;
use saha_core::export::{ExportError, Format, Table};

use crate::client::now_ms;
use crate::i18n::Key;
use crate::ui::tr;
use crate::ui::widgets::files::{download_bytes, safe_file_name};
use crate::ui::widgets::format::workspace_zone;

/// The file name: the table's name made safe, today's date, the format's extension.
pub fn file_name(stem: &str, format: Format) -> String {
    let today = workspace_zone().local(now_ms()).date;
    format!("{}-{today}.{}", safe_file_name(stem), format.extension())
}

/// The label of a format's button.
pub fn format_label(format: Format) -> impl Fn() -> &'static str + Copy {
    let turkish = tr(Key::UiExportCsvTurkish);
    move || match format {
        Format::CsvTurkish => turkish(),
        Format::Csv => "CSV",
        Format::Xlsx => "Excel",
    }
}

/// A button per format (`{id}-csv-tr`, `{id}-csv`, `{id}-xlsx`) saving `table()` as a
/// file named after `file`; an error line if the table is too large for the format.
#[component]
pub fn ExportButtons(
    id: &'static str,
    /// The file's name without date and extension (e.g. the report's title).
    file: Signal<String>,
    /// The table, built when a button is pressed.
    table: Callback<(), Table>,
) -> impl IntoView {
    let error = RwSignal::new(None::<ExportError>);
    let save = move |format: Format| {
        let table = table.run(());
        match format.write(&table) {
            Ok(bytes) => {
                error.set(None);
                download_bytes(
                    &file_name(&file.get_untracked(), format),
                    format.mime(),
                    &bytes,
                );
            }
            Err(e) => error.set(Some(e)),
        }
    };
    view! {
        <div class="actions export" id=id>
            <span class="hint">{tr(Key::UiExportTable)}</span>
            {Format::ALL
                .into_iter()
                .map(|format| {
                    view! {
                        <button type="button" class="button" id=format!("{id}-{}", format.code()) on:click=move |_| save(format)>
                            {format_label(format)}
                        </button>
                    }
                })
                .collect_view()}
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert">{tr(Key::UiExportTooLarge)}</p>
            </Show>
        </div>
    }
}
