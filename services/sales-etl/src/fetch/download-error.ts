import { AppError } from '@pharma/shared/errors';

export type DownloadErrorCode =
  | 'URL_REFUSED'
  | 'HTTP_STATUS'
  | 'UNSUPPORTED_CONTENT_TYPE'
  | 'TOO_LARGE'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'TRUNCATED'
  | 'TOO_MANY_REDIRECTS';

/** A file could not be downloaded; `retryable` says whether asking again may help. */
export class DownloadError extends AppError {
  constructor(code: DownloadErrorCode, message: string, retryable: boolean, cause?: unknown) {
    super(code, message, { statusCode: 422, retryable, cause });
  }
}
