/** Errors the domain raises; the HTTP edge maps them to problem+json. */
export interface FieldError {
  path: string;
  message: string;
}

export class DomainError extends Error {}

export class NotFoundError extends DomainError {
  override name = "NotFoundError";
}

export class InvalidInputError extends DomainError {
  override name = "InvalidInputError";
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

export class ConflictError extends DomainError {
  override name = "ConflictError";
}
