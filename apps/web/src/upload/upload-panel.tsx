import { useEffect, useId, useMemo, useRef, useState, type DragEvent } from 'react';
import { useApp } from '../app-context';
import type { Batch } from '../api/types';
import { formatNumber } from '../lib/format';
import { InlineError } from '../ui/states';
import { fromDataTransfer, fromFileList, type PickedFile } from './collect-files';
import { UploadQueue, type UploadItem } from './upload-queue';

const STATE_TEXT: Record<UploadItem['state'], string> = {
  waiting: 'Waiting',
  uploading: 'Uploading',
  queued: 'Uploaded',
  duplicate: 'Duplicate',
  rejected: 'Rejected',
  failed: 'Failed',
};

/** Drop zone for files or folders, per-file progress, and rejected files with reasons. */
export function UploadPanel({
  jobId,
  onBatch,
  compact,
}: {
  jobId: string;
  onBatch(batch: Batch): void;
  compact: boolean;
}) {
  const { api } = useApp();
  const [items, setItems] = useState<UploadItem[]>([]);
  const [dragging, setDragging] = useState(false);
  const [dropError, setDropError] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const queue = useRef<UploadQueue | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const ids = useId();
  const onBatchRef = useRef(onBatch);
  useEffect(() => {
    onBatchRef.current = onBatch;
  });

  useEffect(() => {
    const q = new UploadQueue(api, jobId, setItems, (batch) => onBatchRef.current(batch));
    queue.current = q;
    return () => {
      if (q.busy) q.cancel();
    };
  }, [api, jobId]);

  useEffect(() => {
    // Browsers set webkitdirectory only as a DOM property.
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, []);

  const add = (files: PickedFile[]) => {
    if (files.length > 0) queue.current?.add(files);
  };

  const onDrop = async (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    setDropError(null);
    setReading(true);
    try {
      add(await fromDataTransfer(event.dataTransfer));
    } catch {
      // The browser refused to read a dropped folder (permissions, a file removed meanwhile).
      setDropError('Some of the dropped files could not be read. Try "choose a folder" instead.');
    } finally {
      setReading(false);
    }
  };

  const summary = useMemo(() => {
    const count = (s: UploadItem['state']) => items.filter((i) => i.state === s).length;
    const bytes = items.reduce((a, i) => a + i.file.size, 0);
    const sent = items.reduce((a, i) => a + i.file.size * i.progress, 0);
    return {
      total: items.length,
      active: count('waiting') + count('uploading'),
      uploaded: count('queued'),
      duplicate: count('duplicate'),
      rejected: items.filter((i) => i.state === 'rejected' || i.state === 'failed'),
      ratio: bytes === 0 ? 0 : sent / bytes,
    };
  }, [items]);

  return (
    <section className={compact ? 'upload upload-compact' : 'upload'} aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`}>Upload resumes</h2>
      <div
        className={dragging ? 'dropzone dragging' : 'dropzone'}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>
          Drop resumes or a whole folder here (PDF, Word or text), or{' '}
          <button type="button" className="link-button" onClick={() => fileInput.current?.click()}>
            choose files
          </button>{' '}
          or{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => folderInput.current?.click()}
          >
            choose a folder
          </button>
          .
        </p>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          aria-label="Choose resume files"
          data-testid="file-input"
          accept=".pdf,.docx,.doc,.txt,.rtf,.md,application/pdf,text/plain"
          onChange={(e) => {
            add(fromFileList(e.target.files));
            e.target.value = '';
          }}
        />
        <input
          ref={folderInput}
          type="file"
          multiple
          hidden
          aria-label="Choose a folder of resumes"
          data-testid="folder-input"
          onChange={(e) => {
            add(fromFileList(e.target.files));
            e.target.value = '';
          }}
        />
      </div>
      {reading && (
        <p className="hint" role="status">
          Reading the dropped folder…
        </p>
      )}
      <InlineError error={dropError} />

      {summary.total > 0 && (
        <div className="upload-status">
          <div className="upload-summary" role="status" aria-live="polite">
            {summary.active > 0
              ? `Uploading ${formatNumber(summary.total - summary.active)} of ${formatNumber(summary.total)} files…`
              : `${formatNumber(summary.uploaded)} uploaded`}
            {summary.duplicate > 0 && ` · ${formatNumber(summary.duplicate)} duplicates`}
            {summary.rejected.length > 0 &&
              ` · ${formatNumber(summary.rejected.length)} not accepted`}
          </div>
          <progress
            className="upload-progress"
            max={1}
            value={summary.ratio}
            aria-label="Upload progress, all files"
          />
          {summary.active > 0 && (
            <button
              type="button"
              className="button button-quiet"
              onClick={() => queue.current?.cancel()}
            >
              Cancel upload
            </button>
          )}
          {summary.rejected.length > 0 && (
            <div className="rejected" aria-labelledby={`${ids}-rej`}>
              <h3 id={`${ids}-rej`}>Files not accepted</h3>
              <ul>
                {summary.rejected.map((item) => (
                  <li key={item.id}>
                    <span className="file-name">{item.path}</span>
                    <span className="reason">{item.reason}</span>
                  </li>
                ))}
              </ul>
            </div>
          )}
          <details className="file-list" open={summary.active > 0 && summary.total <= 300}>
            <summary>Every file ({formatNumber(summary.total)})</summary>
            <ul>
              {items.map((item) => (
                <li key={item.id} className={`file file-${item.state}`}>
                  <span className="file-name">{item.path}</span>
                  <progress
                    max={1}
                    value={item.progress}
                    aria-label={`${item.path} upload progress`}
                  />
                  <span className="file-state">{STATE_TEXT[item.state]}</span>
                </li>
              ))}
            </ul>
          </details>
        </div>
      )}
    </section>
  );
}
