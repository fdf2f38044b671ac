//! Kusto query and command responses, read whole:
//!
//! - v2 (`/v2/rest/query`): a JSON array of frames, `DataSetHeader`, `DataTable`s, then
//!   `DataSetCompletion`; progressive responses send `TableHeader`, `TableFragment`s (`DataAppend`
//!   adds rows, `DataReplace` replaces them), `TableProgress` and `TableCompletion` instead of a
//!   `DataTable`;
//! - v1 (`/v1/rest/mgmt`): `{"Tables": [...]}`, where, with more than two tables, the last is a
//!   table of contents naming the kind of each other table (as the Node and Python SDKs read it).
//!
//! Rows are kept as JSON text in their JS form (see [`Rows`], and [`super::value`] for the
//! mapping). [`parse_response`] is the strict entry point: it turns every one of the three error
//! channels into a [`KustoError`].

use super::errors::{excerpt, KustoError, KustoServiceError, OneApiError};
use super::value::{is_js_form, to_js, ScalarType};
use crate::core::json::{Cursor, Json, JsonError};
use crate::core::text;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableKind {
    PrimaryResult,
    QueryCompletionInformation,
    QueryTraceLog,
    QueryPerfLog,
    TableOfContents,
    QueryProperties,
    QueryPlan,
    Unknown,
}

impl TableKind {
    pub fn parse(name: &str) -> TableKind {
        match name {
            "PrimaryResult" => TableKind::PrimaryResult,
            "QueryCompletionInformation" => TableKind::QueryCompletionInformation,
            "QueryTraceLog" => TableKind::QueryTraceLog,
            "QueryPerfLog" => TableKind::QueryPerfLog,
            "TableOfContents" => TableKind::TableOfContents,
            "QueryProperties" => TableKind::QueryProperties,
            "QueryPlan" => TableKind::QueryPlan,
            _ => TableKind::Unknown,
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            TableKind::PrimaryResult => "PrimaryResult",
            TableKind::QueryCompletionInformation => "QueryCompletionInformation",
            TableKind::QueryTraceLog => "QueryTraceLog",
            TableKind::QueryPerfLog => "QueryPerfLog",
            TableKind::TableOfContents => "TableOfContents",
            TableKind::QueryProperties => "QueryProperties",
            TableKind::QueryPlan => "QueryPlan",
            TableKind::Unknown => "Unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    /// As sent: v2 `ColumnType` (`long`) or v1 `DataType` (`Int64`).
    pub kusto_type: String,
}

impl Column {
    pub fn scalar_type(&self) -> ScalarType {
        ScalarType::from_name(&self.kusto_type)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// v2 `TableId`; the position for v1.
    pub id: i64,
    pub name: String,
    pub kind: TableKind,
    pub columns: Vec<Column>,
    /// Every row has exactly one cell per column.
    pub rows: Rows,
    /// Errors the service placed among the rows (`{"OneApiErrors": [...]}`), in a
    /// `TableCompletion`, or as v1 `Exceptions`: the rows before them are partial results.
    pub row_errors: Vec<OneApiError>,
}

impl Table {
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// A cell by row number and column name, in its JS form.
    #[cfg(test)]
    pub fn cell(&self, row: usize, column: &str) -> Option<Json> {
        let column = self.column_index(column)?;
        self.rows.cells().into_iter().nth(row)?.into_iter().nth(column)
    }

    /// `{name, kind, columns: [{name, type}], rows}` as JSON text.
    pub fn to_js_text(&self) -> String {
        let columns = self.columns.iter().map(|c| Json::object([("name", Some(Json::string(&c.name))), ("type", Some(Json::string(&c.kusto_type)))])).collect();
        let mut out = Json::object([("name", Some(Json::string(&self.name))), ("kind", Some(Json::string(self.kind.as_str()))), ("columns", Some(Json::Arr(columns)))]).to_string();
        out.pop(); // reopens the object for the rows
        out.push_str(",\"rows\":[");
        out.push_str(&self.rows.text);
        out.push_str("]}");
        out
    }
}

/// A table's rows in their JS form (cells mapped by [`to_js`]), as JSON text: the rows of one
/// array, without its brackets. They are written from the response's text as it is read, never
/// built as a tree: rows are most of a response, and a tree of them cost more than the rest of a
/// query put together.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rows {
    text: String,
    count: usize,
}

impl Rows {
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The rows as a tree, for the few small tables read here (completion events, a v1 table of
    /// contents).
    pub fn cells(&self) -> Vec<Vec<Json>> {
        let rows = Json::parse(&format!("[{}]", self.text)).unwrap_or(Json::Null);
        rows.as_array().unwrap_or_default().iter().map(|row| row.as_array().unwrap_or_default().to_vec()).collect()
    }

    fn extend(&mut self, more: Rows) {
        if self.count > 0 && more.count > 0 {
            self.text.push(',');
        }
        self.text.push_str(&more.text);
        self.count += more.count;
    }

    /// Appends one row read from `list` (at its opening bracket), one cell per type.
    fn push(&mut self, list: &mut Cursor, types: &[ScalarType]) -> Result<(), KustoError> {
        self.text.push_str(if self.count == 0 { "[" } else { ",[" });
        list.enter().map_err(unreadable)?;
        let mut cells = 0;
        while list.next(cells == 0).map_err(unreadable)? {
            let ty = types.get(cells).copied().unwrap_or(ScalarType::Unknown);
            if cells > 0 {
                self.text.push(',');
            }
            match list.scalar().map_err(unreadable)? {
                Some(text) if is_js_form(text, ty) => self.text.push_str(text),
                Some(text) => to_js(&Json::parse(text).map_err(unreadable)?, ty).write(&mut self.text),
                None => to_js(&list.value().map_err(unreadable)?, ty).write(&mut self.text),
            }
            cells += 1;
        }
        if cells != types.len() {
            return Err(invalid(format_args!("a row has {cells} cells for {} columns", types.len())));
        }
        self.text.push(']');
        self.count += 1;
        Ok(())
    }
}

/// The `DataSetCompletion` frame.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Completion {
    pub has_errors: bool,
    pub cancelled: bool,
    pub one_api_errors: Vec<OneApiError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    V1,
    V2 { progressive: bool },
}

/// One row of `QueryCompletionInformation` (v2) or of the v1 `QueryStatus` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionEvent {
    /// 1 Critical, 2 Error, 3 Warning, 4 Info, 5 Verbose, 6 Stats.
    pub level: i64,
    pub level_name: String,
    /// `StatusCodeName` / `StatusDescription`, e.g. `Query result set too large (E_QUERY_RESULT_SET_TOO_LARGE). (-2133196797)`.
    pub status: String,
    pub event_type: String,
    /// The `Text` of the JSON `Payload`, or the payload itself.
    pub text: String,
    pub client_request_id: Option<String>,
    pub activity_id: Option<String>,
}

impl CompletionEvent {
    /// Critical and Error events fail the query, as in the Node SDK.
    pub fn is_error(&self) -> bool {
        self.level <= 2
    }

    /// The `E_...` code inside the status text, else the event type.
    fn code(&self) -> String {
        let status = self.status.as_str();
        let from_status = (0..status.len())
            .filter(|&i| status.as_bytes().get(i..).is_some_and(|rest| rest.starts_with(b"E_")))
            .map(|i| text::split_at(status, i))
            .filter(|(before, _)| !before.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
            .map(|(_, from)| from.chars().take_while(|c| c.is_ascii_uppercase() || *c == '_' || c.is_ascii_digit()).collect::<String>())
            .find(|c| c.len() > 2);
        match from_status {
            Some(code) => code,
            None if !self.event_type.is_empty() => self.event_type.clone(),
            None => "QueryError".to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DataSet {
    pub format: Format,
    pub tables: Vec<Table>,
    /// v2 only; `None` when the frame is missing (a cut-off stream).
    pub completion: Option<Completion>,
}

fn invalid(why: impl std::fmt::Display) -> KustoError {
    KustoError::new("invalid_response", format!("The Kusto response cannot be read: {why}."))
}

/// The body, each table's `Rows` kept as text for [`rows`].
fn parse_json(body: &str) -> Result<Json, KustoError> {
    Json::parse_keeping_raw(body, Some("Rows")).map_err(|e| {
        let how = if e.at >= body.len() { "it ends early; the connection may have been cut" } else { e.reason };
        invalid(format_args!("it is not complete JSON ({how}, at byte {} of {})", e.at, body.len()))
    })
}

fn columns(value: Option<&Json>) -> Result<Vec<Column>, KustoError> {
    let list = value.and_then(Json::as_array).ok_or_else(|| invalid("a table has no Columns"))?;
    list.iter()
        .map(|c| {
            let name = c.str_at("ColumnName").ok_or_else(|| invalid("a column has no ColumnName"))?;
            let ty = c.str_at("ColumnType").or_else(|| c.str_at("DataType")).unwrap_or("");
            Ok(Column { name: name.to_owned(), kusto_type: ty.to_owned() })
        })
        .collect()
}

/// Rows that [`parse_json`] already checked as JSON fail only in shape; this reports it if not.
fn unreadable(e: JsonError) -> KustoError {
    invalid(format_args!("its rows are not JSON ({})", e.reason))
}

/// Reads `Rows` (kept as text by [`parse_json`]) into their JS form, splitting out inline error
/// objects.
fn rows(value: Option<Json>, columns: &[Column], errors: &mut Vec<OneApiError>) -> Result<Rows, KustoError> {
    let Some(Json::Raw(source)) = value else { return Err(invalid("a table has no Rows")) };
    let types: Vec<ScalarType> = columns.iter().map(Column::scalar_type).collect();
    let mut out = Rows { text: String::with_capacity(source.len()), count: 0 };
    let mut list = Cursor::new(&source);
    list.enter().map_err(|_| invalid("a table's Rows is not an array"))?;
    let mut first = true;
    while list.next(first).map_err(unreadable)? {
        first = false;
        match list.peek() {
            Some(b'[') => out.push(&mut list, &types)?,
            Some(b'{') => match list.value().map_err(unreadable)? {
                error if error.get("OneApiErrors").is_some() => errors.extend(OneApiError::list(error.get("OneApiErrors"))),
                _ => return Err(invalid("a row is neither an array nor an error object")),
            },
            _ => return Err(invalid("a row is neither an array nor an error object")),
        }
    }
    list.end().map_err(unreadable)?;
    Ok(out)
}

/// A table frame; its rows are moved out of `frame` when `with_rows`.
fn frame_table(frame: &mut Json, position: usize, with_rows: bool) -> Result<Table, KustoError> {
    let columns = columns(frame.get("Columns"))?;
    let mut row_errors = Vec::new();
    let rows = if with_rows { rows(frame.take("Rows"), &columns, &mut row_errors)? } else { Rows::default() };
    Ok(Table {
        id: frame.get("TableId").and_then(Json::as_i64).unwrap_or(position as i64),
        name: frame.str_at("TableName").unwrap_or("").to_owned(),
        kind: TableKind::parse(frame.str_at("TableKind").unwrap_or("")),
        columns,
        rows,
        row_errors,
    })
}

fn parse_v2(frames: Vec<Json>) -> Result<DataSet, KustoError> {
    let mut progressive = false;
    let mut tables: Vec<Table> = Vec::new();
    let mut completion = None;
    for mut frame in frames {
        let kind = frame.str_at("FrameType").ok_or_else(|| invalid("a frame has no FrameType"))?;
        let table_at = |tables: &[Table]| -> Result<usize, KustoError> {
            let id = frame.get("TableId").and_then(Json::as_i64).ok_or_else(|| invalid(format_args!("a {kind} frame has no TableId")))?;
            tables.iter().rposition(|t| t.id == id).ok_or_else(|| invalid(format_args!("a {kind} frame refers to table {id}, which has no TableHeader")))
        };
        match kind {
            "DataSetHeader" => progressive = frame.get("IsProgressive").and_then(Json::as_bool).unwrap_or(false),
            "DataTable" => tables.push(frame_table(&mut frame, tables.len(), true)?),
            "TableHeader" => tables.push(frame_table(&mut frame, tables.len(), false)?),
            "TableFragment" => {
                let at = table_at(&tables)?;
                let table = tables.get_mut(at).ok_or_else(|| invalid("a fragment lost its table"))?;
                let mut errors = Vec::new();
                let new_rows = rows(frame.take("Rows"), &table.columns, &mut errors)?;
                match frame.str_at("TableFragmentType") {
                    Some("DataReplace") => table.rows = new_rows,
                    Some("DataAppend") | None => table.rows.extend(new_rows),
                    Some(other) => return Err(invalid(format_args!("unknown TableFragmentType '{}'", excerpt(other, 40)))),
                }
                table.row_errors.extend(errors);
            }
            "TableCompletion" => {
                let at = table_at(&tables)?;
                if let Some(table) = tables.get_mut(at) {
                    table.row_errors.extend(OneApiError::list(frame.get("OneApiErrors")));
                }
            }
            "DataSetCompletion" => {
                completion = Some(Completion {
                    has_errors: frame.get("HasErrors").and_then(Json::as_bool).unwrap_or(false),
                    cancelled: frame.get("Cancelled").and_then(Json::as_bool).unwrap_or(false),
                    one_api_errors: OneApiError::list(frame.get("OneApiErrors")),
                })
            }
            // TableProgress, and frame types newer than this reader.
            _ => {}
        }
    }
    Ok(DataSet { format: Format::V2 { progressive }, tables, completion })
}

fn v1_kind(kind: &str) -> TableKind {
    match kind {
        "QueryResult" | "PrimaryResult" => TableKind::PrimaryResult,
        "QueryProperties" => TableKind::QueryProperties,
        "QueryStatus" => TableKind::QueryCompletionInformation,
        other => TableKind::parse(other),
    }
}

fn parse_v1(list: Vec<Json>) -> Result<DataSet, KustoError> {
    let count = list.len();
    let mut tables = Vec::with_capacity(count);
    for (i, mut t) in list.into_iter().enumerate() {
        let mut table = frame_table(&mut t, i, true)?;
        table.id = i as i64;
        let exceptions = t.get("Exceptions").and_then(Json::as_array).unwrap_or(&[]);
        table.row_errors.extend(exceptions.iter().filter_map(Json::as_str).map(|e| OneApiError { code: "Exception".into(), message: e.to_owned(), ..OneApiError::default() }));
        tables.push(table);
    }
    // A table of contents names the tables before it: its rows are read once, as a tree.
    let toc = tables.last().filter(|_| tables.len() > 2).and_then(|t| Some((t.column_index("Kind")?, t.column_index("Name")?, t.rows.cells())));
    match toc {
        Some((kind_at, name_at, rows)) => {
            let last = tables.len() - 1;
            tables[last].kind = TableKind::TableOfContents;
            for (table, row) in tables[..last].iter_mut().zip(rows) {
                if let (Some(Json::Str(kind)), Some(Json::Str(name))) = (row.get(kind_at), row.get(name_at)) {
                    table.kind = v1_kind(kind);
                    table.name = name.clone();
                }
            }
        }
        None => {
            for (i, table) in tables.iter_mut().enumerate() {
                table.kind = if i == 1 && count == 2 { TableKind::QueryProperties } else { TableKind::PrimaryResult };
            }
        }
    }
    Ok(DataSet { format: Format::V1, tables, completion: None })
}

impl DataSet {
    /// Reads a body of either format; only format faults are errors here. Service errors inside a
    /// readable body are left for [`Self::service_error`], so that partial results stay reachable.
    pub fn parse(body: &str) -> Result<DataSet, KustoError> {
        Self::read(parse_json(body)?)
    }

    fn read(doc: Json) -> Result<DataSet, KustoError> {
        match doc {
            Json::Arr(frames) => parse_v2(frames),
            mut doc => match doc.take("Tables") {
                Some(Json::Arr(list)) => parse_v1(list),
                _ => Err(invalid("it is neither a v2 frame array nor a v1 object with Tables")),
            },
        }
    }

    /// The tables the query produced (several with `fork`), in order.
    pub fn primary_results(&self) -> Vec<&Table> {
        self.tables_of_kind(&TableKind::PrimaryResult)
    }

    pub fn tables_of_kind(&self, kind: &TableKind) -> Vec<&Table> {
        self.tables.iter().filter(|t| t.kind == *kind).collect()
    }

    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// The rows of `QueryCompletionInformation` (v1: `QueryStatus`).
    pub fn completion_events(&self) -> Vec<CompletionEvent> {
        let Some(t) = self.tables.iter().find(|t| t.kind == TableKind::QueryCompletionInformation) else {
            return Vec::new();
        };
        let col = |names: &[&str]| names.iter().find_map(|n| t.column_index(n));
        let (level, level_name, status) = (col(&["Level", "Severity"]), col(&["LevelName", "SeverityName"]), col(&["StatusCodeName", "StatusDescription"]));
        let (event_type, payload) = (col(&["EventTypeName"]), col(&["Payload"]));
        let (crid, activity) = (col(&["ClientRequestId", "ClientActivityId"]), col(&["ActivityId"]));
        let text = |row: &[Json], i: Option<usize>| -> Option<String> {
            match row.get(i?)? {
                Json::Str(s) => Some(s.clone()),
                Json::Null => None,
                other => Some(other.to_string()),
            }
        };
        t.rows
            .cells()
            .iter()
            .filter_map(|row| {
                let level = row.get(level?)?.as_i64()?;
                let payload = text(row, payload).unwrap_or_default();
                let payload_text = Json::parse(&payload).ok().and_then(|p| p.str_at("Text").map(str::to_owned)).unwrap_or(payload);
                Some(CompletionEvent {
                    level,
                    level_name: text(row, level_name).unwrap_or_default(),
                    status: text(row, status).unwrap_or_default(),
                    event_type: text(row, event_type).unwrap_or_default(),
                    text: payload_text,
                    client_request_id: text(row, crid),
                    activity_id: text(row, activity),
                })
            })
            .collect()
    }

    /// The failure the body reports, from whichever channel: `DataSetCompletion` errors first
    /// (the most detailed), then errors among the rows, then completion events of level <= 2,
    /// then cancellation.
    pub fn service_error(&self) -> Option<KustoError> {
        let completion = self.completion.clone().unwrap_or_default();
        let cancelled = |e: KustoServiceError| KustoError::service(if completion.cancelled { "kusto_query_cancelled" } else { "kusto_query_failed" }, e);
        if let Some(e) = KustoServiceError::from_one_api(completion.one_api_errors.clone()) {
            return Some(cancelled(e));
        }
        let inline: Vec<OneApiError> = self.tables.iter().flat_map(|t| t.row_errors.iter().cloned()).collect();
        if let Some(e) = KustoServiceError::from_one_api(inline) {
            return Some(cancelled(e));
        }
        let events: Vec<CompletionEvent> = self.completion_events().into_iter().filter(CompletionEvent::is_error).collect();
        if let Some(first) = events.first() {
            let message = text::join(&events.iter().map(|e| format!("{} {}", e.status, e.text).trim().to_owned()).collect::<Vec<_>>(), " | ");
            return Some(cancelled(KustoServiceError {
                code: first.code(),
                message,
                client_request_id: first.client_request_id.clone(),
                activity_id: first.activity_id.clone(),
                ..KustoServiceError::default()
            }));
        }
        if completion.has_errors || completion.cancelled {
            let what = if completion.cancelled { "The query was cancelled." } else { "The query failed without details." };
            return Some(cancelled(KustoServiceError { code: "QueryError".into(), message: what.into(), ..KustoServiceError::default() }));
        }
        None
    }
}

/// The strict reading of a response: HTTP errors, unreadable or cut-off bodies, and errors
/// reported inside a 200 all become a [`KustoError`]. Use [`DataSet::parse`] and
/// [`DataSet::service_error`] separately to keep partial results.
pub fn parse_response(status: u16, body: &str, www_authenticate: Option<&str>) -> Result<DataSet, KustoError> {
    if !(200..300).contains(&status) {
        return Err(KustoError::service(KustoServiceError::http_code(status), KustoServiceError::from_http(status, body, www_authenticate)));
    }
    let doc = parse_json(body)?;
    if doc.get("error").is_some() && doc.get("Tables").is_none() {
        return Err(KustoError::service("kusto_query_failed", KustoServiceError::from_http(status, body, www_authenticate)));
    }
    let data = DataSet::read(doc)?;
    if matches!(data.format, Format::V2 { .. }) && data.completion.is_none() {
        return Err(invalid("it ended before its DataSetCompletion frame; the connection may have been cut"));
    }
    match data.service_error() {
        Some(err) => Err(err),
        None => Ok(data),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    macro_rules! fixture {
        ($name:literal) => {
            include_str!(concat!("../../../tests/fixtures/kusto/responses/", $name))
        };
    }

    fn ok(body: &str) -> DataSet {
        parse_response(200, body, None).unwrap_or_else(|e| panic!("{e}"))
    }

    fn num(s: &str) -> Json {
        Json::Num(s.into())
    }

    fn types(t: &Table) -> Vec<&str> {
        t.columns.iter().map(|c| c.kusto_type.as_str()).collect()
    }

    #[test]
    fn reads_deft_with_every_scalar_type() {
        let ds = ok(fixture!("deft.json"));
        assert_eq!(ds.format, Format::V2 { progressive: false });
        assert_eq!(ds.tables.len(), 3);
        assert_eq!(ds.tables[0].name, "@ExtendedProperties");
        assert_eq!(ds.tables[0].kind, TableKind::QueryProperties);
        let deft = ds.primary_results()[0];
        assert_eq!((deft.id, deft.name.as_str(), deft.rows.len()), (1, "Deft", 11));
        assert_eq!(
            types(deft),
            ["int", "string", "real", "real", "bool", "int", "int", "long", "long", "long", "long", "long", "datetime", "string", "string", "string", "timespan", "string", "dynamic"]
        );
        assert!(deft.rows.cells()[0].iter().enumerate().all(|(i, v)| *v == Json::Null || *v == Json::Str(String::new()) || i == 0), "row 0 is empty");
        assert_eq!(deft.cell(2, "xdouble"), Some(num("1.0001")));
        assert_eq!(deft.cell(3, "xint64"), Some(num("2")));
        assert_eq!(deft.cell(1, "xdouble"), Some(num("0.0")), "exact text kept");
        assert_eq!(deft.cell(3, "xtime"), Some(Json::string("-2.00:00:02.0020002")));
        assert_eq!(deft.cell(2, "xdate"), Some(Json::string("2015-01-01T01:01:01.0000001Z")));
        assert_eq!(deft.cell(10, "xdynamicWithNulls").as_ref().map(Json::to_string).as_deref(), Some(r#"{"rowId":9,"arr":[0,9]}"#));
        assert_eq!(deft.cell(10, "xbool"), Some(Json::Bool(true)));
        let events = ds.completion_events();
        assert_eq!(events.len(), 2);
        assert_eq!((events[0].level, events[0].level_name.as_str(), events[0].text.as_str()), (4, "Info", "Query completed successfully"));
        assert_eq!(events[0].client_request_id.as_deref(), Some("unspecified;cc5ee2b9-9b77-4509-9a61-84ec8f0159c2"));
        assert_eq!(ds.completion, Some(Completion { has_errors: false, cancelled: false, one_api_errors: vec![] }));

        let js = Json::parse(&deft.to_js_text()).unwrap();
        assert_eq!(js.str_at("kind"), Some("PrimaryResult"));
        let row = &js.get("rows").unwrap().as_array().unwrap()[2];
        assert_eq!(row.as_array().unwrap()[7], num("1"), "a small long is a JS number");
    }

    #[test]
    fn reads_empty_null_and_dynamic_results() {
        let ds = ok(fixture!("zero_results.json"));
        let t = ds.primary_results()[0];
        assert_eq!((t.name.as_str(), t.rows.len(), types(t)), ("PrimaryResult", 0, vec!["string"]));

        let ds = ok(fixture!("null_values.json"));
        let t = ds.primary_results()[0];
        assert_eq!(t.name, "PrimaryResultName");
        assert_eq!(types(t), ["string", "int", "bool", "datetime", "dynamic", "guid", "long", "real", "timespan", "decimal"]);
        assert_eq!(t.rows.cells(), vec![vec![Json::Null; 10]]);
        assert!(Json::parse(&t.to_js_text()).unwrap().get("rows").unwrap().as_array().unwrap()[0].as_array().unwrap().iter().all(|v| *v == Json::Null));

        let ds = ok(fixture!("dynamic.json"));
        let rows = ds.primary_results()[0].rows.cells();
        let row = &rows[0];
        assert_eq!(row[0], num("123"));
        assert_eq!(row[1], Json::string("123"));
        assert_eq!(row[2], Json::string("test bad json"));
        assert_eq!(row[3], Json::Null);
        assert_eq!(row[4], Json::string(r#"{"rowId":2,"arr":[0,2]}"#));
        assert_eq!(row[5].to_string(), r#"{"rowId":2,"arr":[0,2]}"#);
    }

    /// The rows as a tree built from the whole body, each cell mapped on its own: what the rows'
    /// JS form must equal, whichever way it was written.
    fn mapped_cells(body: &str) -> Vec<Vec<Vec<Json>>> {
        let doc = Json::parse(body).unwrap();
        let tables: Vec<&Json> = match &doc {
            Json::Arr(frames) => frames.iter().filter(|f| f.str_at("FrameType") == Some("DataTable")).collect(),
            doc => doc.get("Tables").and_then(Json::as_array).unwrap().iter().collect(),
        };
        let types = |t: &Json| -> Vec<ScalarType> { columns(t.get("Columns")).unwrap().iter().map(Column::scalar_type).collect() };
        tables
            .iter()
            .map(|t| {
                let rows = t.get("Rows").and_then(Json::as_array).unwrap();
                let rows = rows.iter().filter_map(Json::as_array);
                rows.map(|row| row.iter().zip(types(t)).map(|(cell, ty)| to_js(cell, ty).into_owned()).collect()).collect()
            })
            .collect()
    }

    #[test]
    fn rows_are_written_as_each_cell_maps_to_js() {
        for body in [
            fixture!("deft.json"),
            fixture!("dynamic.json"),
            fixture!("node-v1.json"),
            fixture!("node-v1_2.json"),
            fixture!("node-v2.json"),
            fixture!("null_values.json"),
            fixture!("adminthenquery.json"),
            fixture!("query_partial_results_defer_is_true.json"),
        ] {
            let read: Vec<Vec<Vec<Json>>> = DataSet::parse(body).unwrap().tables.iter().map(|t| t.rows.cells()).collect();
            assert_eq!(read, mapped_cells(body));
        }
    }

    #[test]
    fn keeps_long_and_decimal_exact() {
        let body = r#"[{"FrameType":"DataSetHeader","IsProgressive":false,"Version":"v2.0"},
            {"FrameType":"DataTable","TableId":1,"TableKind":"PrimaryResult","TableName":"PrimaryResult",
             "Columns":[{"ColumnName":"l","ColumnType":"long"},{"ColumnName":"d","ColumnType":"decimal"},{"ColumnName":"r","ColumnType":"real"}],
             "Rows":[[9223372036854775807,"79228162514264337593543950335","NaN"],[-42,0.1000000000000000000001,1.5e300]]},
            {"FrameType":"DataSetCompletion","HasErrors":false,"Cancelled":false}]"#;
        let ds = ok(body);
        let t = ds.primary_results()[0];
        // Kept as their exact digits, in a string: a JS number would round them.
        assert_eq!(t.rows.cells()[0][0], Json::string("9223372036854775807"));
        assert_eq!(t.rows.cells()[1][1], Json::string("0.1000000000000000000001"));
        let js = Json::parse(&t.to_js_text()).unwrap().get("rows").unwrap().to_string();
        assert_eq!(js, r#"[["9223372036854775807","79228162514264337593543950335","NaN"],[-42,"0.1000000000000000000001",1.5e300]]"#);
    }

    #[test]
    fn assembles_progressive_fragments() {
        let ds = ok(fixture!("progressive_result.json"));
        assert_eq!(ds.format, Format::V2 { progressive: true });
        assert_eq!(ds.tables.len(), 3);
        let t = ds.primary_results()[0];
        assert_eq!((t.id, t.columns.len(), t.rows.len()), (1, 22, 5));
        assert_eq!(t.cell(0, "State"), Some(Json::string("NORTH CAROLINA")));
        assert_eq!(t.cell(3, "DamageProperty"), Some(num("2000")));
        assert_eq!(t.cell(1, "BeginLat"), Some(Json::Null));
        assert_eq!(t.cell(0, "BeginLon"), Some(num("-81.63")));
        assert_eq!(t.cell(4, "StormSummary").as_ref().and_then(|s| s.get("Details")).and_then(|d| d.str_at("Location")), Some("NEW YORK"));
        assert_eq!(ds.tables[2].kind, TableKind::QueryCompletionInformation);

        // DataReplace swaps the rows gathered so far; DataAppend adds to them.
        let frames = r#"[{"FrameType":"DataSetHeader","IsProgressive":true,"Version":"v2.0"},
            {"FrameType":"TableHeader","TableId":7,"TableKind":"PrimaryResult","TableName":"PrimaryResult","Columns":[{"ColumnName":"x","ColumnType":"long"}]},
            {"FrameType":"TableFragment","TableFragmentType":"DataAppend","TableId":7,"Rows":[[1],[2]]},
            {"FrameType":"TableProgress","TableId":7,"TableProgress":50.0},
            {"FrameType":"TableFragment","TableFragmentType":"DataReplace","TableId":7,"Rows":[[10],[20],[30]]},
            {"FrameType":"TableFragment","TableFragmentType":"DataAppend","TableId":7,"Rows":[[40]]},
            {"FrameType":"TableCompletion","TableId":7,"RowCount":4},
            {"FrameType":"DataSetCompletion","HasErrors":false,"Cancelled":false}]"#;
        let ds = ok(frames);
        assert_eq!(ds.primary_results()[0].rows.cells(), [[num("10")], [num("20")], [num("30")], [num("40")]]);

        let orphan = frames.replace(r#""TableFragmentType":"DataAppend","TableId":7,"Rows":[[40]]"#, r#""TableFragmentType":"DataAppend","TableId":8,"Rows":[[40]]"#);
        assert!(DataSet::parse(&orphan).unwrap_err().message.contains("refers to table 8"));
        let odd = frames.replace("DataReplace", "DataShuffle");
        assert_eq!(DataSet::parse(&odd).unwrap_err().code, "invalid_response");
    }

    #[test]
    fn reads_v1_management_results() {
        let ds = ok(fixture!("versionshowcommandresult.json"));
        assert_eq!(ds.format, Format::V1);
        let t = ds.primary_results()[0];
        assert_eq!((t.name.as_str(), t.rows.len()), ("Table_0", 1));
        assert_eq!(types(t), ["String", "DateTime", "String", "String"]);
        assert_eq!(t.cell(0, "ProductVersion"), Some(Json::string("KustoMain_2018.04.29.5")));
        assert_eq!(t.columns[1].scalar_type(), ScalarType::DateTime);

        let ds = ok(fixture!("node-v1.json"));
        assert_eq!(ds.tables.len(), 1);
        assert_eq!(ds.primary_results()[0].rows.len(), 25);
        assert_eq!(ds.primary_results()[0].cell(4, "ResourceTypeName"), Some(Json::string("FailedIngestionsQueue")));
    }

    #[test]
    fn names_v1_tables_from_the_table_of_contents() {
        for (body, primary_rows) in [(fixture!("adminthenquery.json"), 2), (fixture!("node-v1_2.json"), 1)] {
            let ds = ok(body);
            let kinds: Vec<&TableKind> = ds.tables.iter().map(|t| &t.kind).collect();
            assert_eq!(kinds, [&TableKind::PrimaryResult, &TableKind::QueryProperties, &TableKind::QueryCompletionInformation, &TableKind::TableOfContents]);
            let names: Vec<&str> = ds.tables.iter().map(|t| t.name.as_str()).collect();
            assert_eq!(names, ["PrimaryResult", "@ExtendedProperties", "QueryStatus", "Table_3"]);
            assert_eq!(ds.primary_results()[0].rows.len(), primary_rows);
            let events = ds.completion_events();
            assert_eq!(events.len(), 2);
            assert_eq!((events[0].level, events[1].level_name.as_str()), (4, "Stats"));
            assert!(events[0].client_request_id.as_deref().unwrap().contains(".execute;"));
        }
        let ds = ok(fixture!("adminthenquery.json"));
        assert_eq!(ds.primary_results()[0].cell(1, "TableName"), Some(Json::string("LiorTmp")));
        assert_eq!(ds.completion_events()[0].status, "Querycompletedsuccessfully");
        let ds = ok(fixture!("node-v1_2.json"));
        assert_eq!(ds.primary_results()[0].cell(0, "Count"), Some(num("0")));
        assert_eq!(ds.primary_results()[0].columns[0].scalar_type(), ScalarType::Long);
    }

    #[test]
    fn reads_node_v2() {
        let ds = ok(fixture!("node-v2.json"));
        let t = ds.primary_results()[0];
        assert_eq!((t.name.as_str(), t.rows.len()), ("temp", 3));
        assert_eq!(types(t), ["datetime", "string", "long", "real", "bool", "timespan"]);
        assert_eq!(t.rows.cells()[0], [Json::string("2016-06-06T15:35:00Z"), Json::string("foo"), num("101"), num("3.14"), Json::Bool(false), Json::string("1.01:02:03.004")]);
        assert_eq!(t.cell(1, "Altitude"), Some(num("555")));
    }

    #[test]
    fn channel_2_dataset_completion_errors() {
        // Partial results: rows 1..5, then an inline error, then HasErrors.
        let body = fixture!("query_partial_results_defer_is_false.json");
        let ds = DataSet::parse(body).unwrap();
        let t = ds.primary_results()[0];
        assert_eq!(t.rows.cells(), [[num("1")], [num("2")], [num("3")], [num("4")], [num("5")]]);
        assert_eq!(t.row_errors.len(), 1);
        assert_eq!(t.row_errors[0].code, "LimitsExceeded");
        let completion = ds.completion.as_ref().unwrap();
        assert!(completion.has_errors && !completion.cancelled);
        let err = parse_response(200, body, None).unwrap_err();
        assert_eq!(err.code, "kusto_query_failed");
        let service = err.service.as_ref().unwrap();
        assert_eq!(service.code, "LimitsExceeded");
        assert_eq!(service.permanent, Some(false));
        assert_eq!(service.client_request_id.as_deref(), Some("KPC.execute;d3a43e37-0d7f-47a9-b6cd-a889b2aee3d3"));
        assert!(err.message.contains("Query execution has exceeded the allowed limits (80DA0003)"));

        let body = fixture!("java-v2_error_EndOfDataSet_OneApiErrors.json");
        let ds = DataSet::parse(body).unwrap();
        assert_eq!(ds.primary_results()[0].rows.len(), 0);
        assert_eq!(types(ds.primary_results()[0]), ["string", "long", "string"]);
        let err = parse_response(200, body, None).unwrap_err();
        assert_eq!(err.code, "kusto_query_failed");
        let service = err.service.as_ref().unwrap();
        assert_eq!(service.code, "Internal service error");
        assert_eq!(service.one_api[0].detail.as_deref(), Some("Query execution has resulted in error (0x80DA0006): Query is expired."));
        assert_eq!(service.activity_id.as_deref(), Some("1ddf9081-c289-42c8-8c3e-323698910b76"));
        // The completion table says the same in its own words.
        let events: Vec<CompletionEvent> = ds.completion_events().into_iter().filter(CompletionEvent::is_error).collect();
        assert_eq!(events.len(), 1);
        assert_eq!((events[0].code().as_str(), events[0].text.as_str()), ("E_QUERY_CANCELLED", "Query is expired"));
    }

    #[test]
    fn channel_3_completion_information_errors() {
        let body = fixture!("query_partial_results_defer_is_true.json");
        let ds = DataSet::parse(body).unwrap();
        assert_eq!(ds.primary_results()[0].rows.len(), 5);
        assert!(!ds.completion.as_ref().unwrap().has_errors);
        let err = parse_response(200, body, None).unwrap_err();
        assert_eq!(err.code, "kusto_query_failed");
        let service = err.service.as_ref().unwrap();
        assert_eq!(service.code, "E_QUERY_RESULT_SET_TOO_LARGE");
        assert_eq!(service.client_request_id.as_deref(), Some("KPC.execute;eba30dbd-9963-4c70-902d-60169b8b5a9c"));
        assert_eq!(service.activity_id.as_deref(), Some("031555a6-3a4f-4766-b3c3-fd28bf5d8ad6"));
        assert!(service.message.starts_with("Query result set too large (E_QUERY_RESULT_SET_TOO_LARGE). (-2133196797) Queryresultsethasexceededtheinternalrecordcountlimit5"), "{}", service.message);

        let body = fixture!("node-v2error.json");
        let err = parse_response(200, body, None).unwrap_err();
        assert_eq!(err.code, "kusto_query_failed");
        let service = err.service.as_ref().unwrap();
        assert_eq!(service.code, "QueryInfo");
        assert_eq!(service.message, "S_OK (0) Querycompletedsuccessfully");
        assert_eq!(service.client_request_id.as_deref(), Some("unspecified;e8e72755-786b-4bdc-835d-ea49d63d09fd"));
        // The same response with Level 4 is a success.
        assert!(parse_response(200, fixture!("node-v2.json"), None).is_ok());
    }

    #[test]
    fn channel_1_http_errors() {
        let err = parse_response(401, fixture!("java-http_error_oneapi_401.json"), Some(r#"Bearer claims="eyJhIjoxfQ==""#)).unwrap_err();
        assert_eq!(err.code, "kusto_unauthorized");
        let service = err.service.as_ref().unwrap();
        assert_eq!((service.http_status, service.code.as_str(), service.claims.as_deref()), (Some(401), "LimitsExceeded", Some(r#"{"a":1}"#)));
        assert_eq!(parse_response(429, "", None).unwrap_err().code, "kusto_throttled");
        assert_eq!(parse_response(503, "<html>", None).unwrap_err().code, "kusto_http_error");
        // A OneApi error body under a 200.
        assert_eq!(parse_response(200, fixture!("java-http_error_oneapi_401.json"), None).unwrap_err().code, "kusto_query_failed");
    }

    #[test]
    fn cancellation_and_bare_has_errors() {
        let base = r#"[{"FrameType":"DataSetHeader","IsProgressive":false,"Version":"v2.0"},{"FrameType":"DataSetCompletion","HasErrors":HAS,"Cancelled":CANCELLED}]"#;
        let err = parse_response(200, &base.replace("HAS", "false").replace("CANCELLED", "true"), None).unwrap_err();
        assert_eq!(err.code, "kusto_query_cancelled");
        let err = parse_response(200, &base.replace("HAS", "true").replace("CANCELLED", "false"), None).unwrap_err();
        assert_eq!((err.code, err.service.as_ref().unwrap().message.as_str()), ("kusto_query_failed", "The query failed without details."));
    }

    #[test]
    fn refuses_truncated_and_malformed_bodies() {
        let deft = fixture!("deft.json");
        let cut = &deft[..deft.len() / 2];
        let err = DataSet::parse(cut).unwrap_err();
        assert_eq!(err.code, "invalid_response");
        assert!(err.message.contains("ends early"), "{}", err.message);
        // Valid JSON that stops before the completion frame.
        let frames = Json::parse(deft).unwrap();
        let mut frames = frames.as_array().unwrap().to_vec();
        frames.pop();
        let err = parse_response(200, &Json::Arr(frames).to_string(), None).unwrap_err();
        assert!(err.message.contains("DataSetCompletion"));
        for bad in [
            "",
            "<html>",
            "42",
            "{}",
            "[1]",
            r#"[{"FrameType":"DataTable","Columns":[{"ColumnName":"a","ColumnType":"int"}],"Rows":[[1,2]]}]"#,
            r#"[{"FrameType":"DataTable","Columns":[{"ColumnName":"a","ColumnType":"int"}],"Rows":[5]}]"#,
            r#"[{"FrameType":"DataTable","Columns":[{"ColumnType":"int"}],"Rows":[]}]"#,
            r#"[{"FrameType":"DataTable","Rows":[]}]"#,
            r#"[{"FrameType":"TableFragment","Rows":[]}]"#,
            r#"{"Tables":[{"TableName":"T","Columns":[],"Rows":{}}]}"#,
        ] {
            assert_eq!(parse_response(200, bad, None).unwrap_err().code, "invalid_response", "{bad}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in ".*", status in 0u16..700) {
            let _ = DataSet::parse(&s);
            let _ = parse_response(status, &s, Some(&s));
        }

        #[test]
        fn never_panics_on_frame_like_input(s in r#"\[(\{"FrameType":"(DataTable|TableHeader|TableFragment|TableCompletion|DataSetCompletion)","TableId":[0-2],"Columns":\[(\{"ColumnName":"a","ColumnType":"long"\})?\],"Rows":\[(\[1\]|\{"OneApiErrors":\[\]\}|\[\])?\],"TableFragmentType":"Data(Append|Replace)"\},?){0,5}\{\}\]"#) {
            if let Ok(ds) = DataSet::parse(&s) {
                let _ = ds.service_error();
                let _ = ds.completion_events();
                for t in &ds.tables { prop_assert!(Json::parse(&t.to_js_text()).is_ok()); }
            }
        }

        #[test]
        fn cut_bodies_are_errors(n in 0usize..11_000) {
            let body = fixture!("deft.json");
            let cut = body.get(..n.min(body.len().saturating_sub(2))).unwrap_or("");
            prop_assert!(parse_response(200, cut, None).is_err());
        }
    }
}
