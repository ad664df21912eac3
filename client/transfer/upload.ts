/**
 * Sends a file to the import route with XMLHttpRequest, because fetch cannot report upload
 * progress and a 10,000-row export takes a moment to send on a slow line.
 */
import { type ImportOptions, type ImportOutcome, importContentType, importUrl, interpretImportAnswer } from './importRequest.ts';

/** Upload progress: bytes sent of total; `sent === total` means the server is working on it. */
export interface UploadProgress {
  sent: number;
  total: number;
}

export interface ImportUpload {
  done: Promise<ImportOutcome>;
  abort: () => void;
}

export function uploadImport(
  boardId: string,
  token: string,
  file: File,
  options: ImportOptions,
  onProgress: (p: UploadProgress) => void,
): ImportUpload {
  const xhr = new XMLHttpRequest();
  const done = new Promise<ImportOutcome>((resolve) => {
    xhr.open('POST', importUrl(boardId, options));
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Content-Type', importContentType(file));
    xhr.upload.onprogress = (e) => onProgress({ sent: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.upload.onload = () => onProgress({ sent: file.size, total: file.size });
    xhr.onload = () => resolve(interpretImportAnswer(xhr.status, xhr.responseText, file.size));
    xhr.onerror = () => resolve(interpretImportAnswer(0, '', file.size));
    xhr.onabort = () => resolve({ kind: 'failed', status: 0, message: 'The import was cancelled.' });
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}
