//! Record batches into a Parquet file or an Arrow IPC stream.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use crate::error::{Error, Result};
use crate::format::Format;

/// Encoded bytes after which a Parquet row group is closed, so that memory
/// stays bounded however long the output.
const ROW_GROUP_BYTES: usize = 64 << 20;

enum Inner {
    Parquet(ArrowWriter<BufWriter<File>>),
    Arrow(arrow_ipc::writer::StreamWriter<BufWriter<File>>),
}

/// Writes record batches as Parquet (zstd, a row group per ~64 MiB encoded)
/// or as an Arrow IPC stream, the format `datasets.Dataset.from_file` reads.
pub struct BatchEncoder {
    inner: Inner,
    path: PathBuf,
}

impl std::fmt::Debug for BatchEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchEncoder")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl BatchEncoder {
    /// `format` is Parquet or Arrow.
    pub fn new(file: File, path: PathBuf, format: Format, schema: &SchemaRef) -> Result<Self> {
        let file = BufWriter::with_capacity(1 << 20, file);
        let fail = |e: &dyn std::fmt::Display| encode_error(&path, e);
        let inner = match format {
            Format::Parquet => {
                let properties = WriterProperties::builder()
                    .set_compression(Compression::ZSTD(ZstdLevel::default()))
                    .build();
                Inner::Parquet(
                    ArrowWriter::try_new(file, Arc::clone(schema), Some(properties))
                        .map_err(|e| fail(&e))?,
                )
            }
            _ => Inner::Arrow(
                arrow_ipc::writer::StreamWriter::try_new(file, schema).map_err(|e| fail(&e))?,
            ),
        };
        Ok(Self { inner, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        let fail = |e: &dyn std::fmt::Display| encode_error(&self.path, e);
        match &mut self.inner {
            Inner::Parquet(writer) => {
                writer.write(batch).map_err(|e| fail(&e))?;
                if writer.in_progress_size() >= ROW_GROUP_BYTES {
                    writer.flush().map_err(|e| fail(&e))?;
                }
                Ok(())
            }
            Inner::Arrow(writer) => writer.write(batch).map_err(|e| fail(&e)),
        }
    }

    pub fn finish(self) -> Result<()> {
        let path = self.path;
        match self.inner {
            Inner::Parquet(writer) => writer
                .close()
                .map(drop)
                .map_err(|e| encode_error(&path, &e)),
            Inner::Arrow(mut writer) => writer.finish().map_err(|e| encode_error(&path, &e)),
        }
    }
}

/// An encoder's failure, as a write error on `path`.
pub(crate) fn encode_error(path: &Path, error: &dyn std::fmt::Display) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other(error.to_string()),
    }
}
