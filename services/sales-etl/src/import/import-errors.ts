import { AppError } from '@pharma/shared/errors';

/** The file is not a usable CSV of its kind (no header, missing columns). */
export class InvalidFileError extends AppError {
  constructor(message: string) {
    super('INVALID_FILE', message, { statusCode: 422, retryable: false });
  }
}

/** The job was cancelled while the import ran; everything it wrote is rolled back. */
export class ImportCancelledError extends AppError {
  constructor() {
    super('CANCELLED', 'Import cancelled', { statusCode: 409, retryable: false });
  }
}
