//! `multipart/form-data` bodies: the file parts callers hand in, and their encoding.
//!
//! The body is encoded into bytes up front, like a JSON body, rather than streamed: a request
//! that is fully encoded can be sent again as it is (retries, a refreshed token).

use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::path::Path;

use bytes::Bytes;

/// A file to upload as one part of a `multipart/form-data` body.
///
/// ```
/// use openapi_client_runtime::FilePart;
///
/// let csv = FilePart::new("posts.csv", "summary,date\nHello,2026-01-01\n");
/// assert_eq!(csv.content_type_str(), "text/csv");
/// let other = FilePart::new("export", vec![0_u8, 1, 2]).content_type("application/x-custom");
/// assert_eq!(other.len(), 3);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    file_name: String,
    content_type: String,
    bytes: Bytes,
}

impl FilePart {
    /// A file from its name and content. The content type is taken from the name's
    /// extension (`.csv` is `text/csv`; unknown ones are `application/octet-stream`);
    /// change it with [`content_type`](Self::content_type).
    pub fn new(file_name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        let file_name = file_name.into();
        let content_type = content_type_for(&file_name).to_owned();
        Self {
            file_name,
            content_type,
            bytes: bytes.into(),
        }
    }

    /// Reads the file at `path`; its file name is the last component of the path.
    ///
    /// This reads the whole file with blocking I/O: call it before entering, or from
    /// `spawn_blocking` inside, an async context that must not block.
    ///
    /// # Errors
    /// The error of reading the file.
    pub fn from_path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)?;
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".to_owned());
        Ok(Self::new(file_name, bytes))
    }

    /// Sets the content type sent for this part, e.g. `text/csv`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }

    /// The file name sent for this part.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The content type sent for this part.
    pub fn content_type_str(&self) -> &str {
        &self.content_type
    }

    /// The file's content.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The size of the content in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the content is empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

// The content may be large or private: Debug shows its size, not its bytes.
impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// The types uploads most often have; anything else is sent as opaque bytes unless the
/// caller says otherwise.
fn content_type_for(file_name: &str) -> &'static str {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    match extension.as_deref() {
        Some("csv") => "text/csv",
        Some("txt") => "text/plain",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("mp4") => "video/mp4",
        _ => "application/octet-stream",
    }
}

/// A `multipart/form-data` body whose parts the spec does not describe: text fields and
/// files, each by name, sent in the order they were added.
///
/// ```
/// # use openapi_client_runtime::{FilePart, FormParts};
/// let parts = FormParts::new()
///     .text("title", "Spring sale")
///     .file("image", FilePart::new("sale.png", vec![0x89, b'P', b'N', b'G']));
/// assert_eq!(parts.len(), 2);
/// ```
#[derive(Debug, Clone, Default)]
pub struct FormParts {
    parts: Vec<(String, FreePart)>,
}

#[derive(Debug, Clone)]
enum FreePart {
    Text(String),
    File(FilePart),
}

impl FormParts {
    /// No parts yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    #[must_use]
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push((name.into(), FreePart::Text(value.into())));
        self
    }

    /// Adds a file.
    #[must_use]
    pub fn file(mut self, name: impl Into<String>, file: FilePart) -> Self {
        self.parts.push((name.into(), FreePart::File(file)));
        self
    }

    /// How many parts there are.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The body to send.
    pub(crate) fn to_multipart(&self) -> Multipart {
        let mut form = Multipart::new();
        for (name, part) in &self.parts {
            match part {
                FreePart::Text(value) => form.text(name, value),
                FreePart::File(file) => form.file(name, file),
            }
        }
        form
    }
}

/// A `multipart/form-data` body being put together by a generated method.
#[derive(Debug, Default)]
pub struct Multipart {
    parts: Vec<Part>,
}

#[derive(Debug)]
struct Part {
    name: String,
    /// File name and content type, for a file part.
    file: Option<(String, String)>,
    content: Bytes,
}

impl Multipart {
    /// An empty body.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file part.
    pub fn file(&mut self, name: &str, file: &FilePart) {
        self.parts.push(Part {
            name: name.to_owned(),
            file: Some((file.file_name.clone(), file.content_type.clone())),
            content: file.bytes.clone(),
        });
    }

    /// Adds a text part holding `value` as text.
    pub fn text(&mut self, name: &str, value: &impl fmt::Display) {
        self.parts.push(Part {
            name: name.to_owned(),
            file: None,
            content: Bytes::from(value.to_string()),
        });
    }

    /// The body and its `Content-Type` (which names the boundary).
    pub(crate) fn encode(self) -> (String, Vec<u8>) {
        let boundary = self.boundary();
        let size: usize = self.parts.iter().map(|p| p.content.len() + 160).sum();
        let mut body = Vec::with_capacity(size + boundary.len() + 8);
        for part in &self.parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let name = quote(&part.name);
            match &part.file {
                Some((file_name, content_type)) => body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{}\"\r\n\
                         Content-Type: {}\r\n\r\n",
                        quote(file_name),
                        content_type.replace(['\r', '\n'], "")
                    )
                    .as_bytes(),
                ),
                None => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                ),
            }
            body.extend_from_slice(&part.content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body)
    }

    /// A boundary that occurs in no part: random, and drawn again in the unlikely case that
    /// a part contains it.
    fn boundary(&self) -> String {
        loop {
            let random = RandomState::new().hash_one(self.parts.len());
            let boundary = format!("boundary-{random:016x}");
            let clash = self
                .parts
                .iter()
                .any(|p| memchr::memmem::find(&p.content, boundary.as_bytes()).is_some());
            if !clash {
                return boundary;
            }
        }
    }
}

/// Escapes a name for a quoted header parameter as browsers do (WHATWG HTML): `"` and line
/// breaks are percent-encoded so that a name cannot end the header.
fn quote(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_holds_each_part_between_boundaries() {
        let mut form = Multipart::new();
        form.file("file", &FilePart::new("posts.csv", "a,b\n1,2\n"));
        form.text("note", &42);
        let (content_type, body) = form.encode();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        let expected = format!(
            "--{boundary}\r\n\
             Content-Disposition: form-data; name=\"file\"; filename=\"posts.csv\"\r\n\
             Content-Type: text/csv\r\n\r\n\
             a,b\n1,2\n\r\n\
             --{boundary}\r\n\
             Content-Disposition: form-data; name=\"note\"\r\n\r\n\
             42\r\n\
             --{boundary}--\r\n"
        );
        assert_eq!(String::from_utf8(body).unwrap(), expected);
    }

    #[test]
    fn names_cannot_break_out_of_their_header() {
        let mut form = Multipart::new();
        form.file("file", &FilePart::new("a\"b\r\nX-Evil: 1.csv", "x"));
        let (_, body) = form.encode();
        let text = String::from_utf8(body).unwrap();
        assert!(
            text.contains("filename=\"a%22b%0D%0AX-Evil: 1.csv\""),
            "{text}"
        );
        assert!(!text.contains("\r\nX-Evil"), "{text}");
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(FilePart::new("A.CSV", "").content_type_str(), "text/csv");
        assert_eq!(
            FilePart::new("blob", "").content_type_str(),
            "application/octet-stream"
        );
        let custom = FilePart::new("a.csv", "").content_type("text/plain");
        assert_eq!(custom.content_type_str(), "text/plain");
    }

    #[test]
    fn debug_shows_the_size_not_the_content() {
        let text = format!("{:?}", FilePart::new("secret.csv", "password,hunter2"));
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("len: 16"), "{text}");
    }

    #[test]
    fn from_path_takes_the_file_name() {
        let dir = std::env::temp_dir().join(format!("filepart-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("import.csv");
        std::fs::write(&path, "x,y\n").unwrap();
        let part = FilePart::from_path(&path).unwrap();
        assert_eq!(part.file_name(), "import.csv");
        assert_eq!(part.bytes().as_ref(), b"x,y\n");
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(FilePart::from_path(dir.join("missing.csv")).is_err());
    }
}
