import { BadRequest, Forbidden, ServiceUnavailable } from '@rt/http';

/**
 * Confluence could not answer a permission question (unreachable, timed out, answered an error,
 * a redirect or something unreadable). Maps to 503 `PERMISSION_CHECK_UNAVAILABLE`: a write is
 * refused for now, never allowed by accident. The message never carries Confluence's answer.
 */
export class PermissionCheckUnavailable extends ServiceUnavailable {
  constructor(reason: string) {
    super(
      'PERMISSION_CHECK_UNAVAILABLE',
      `Confluence could not confirm the permission (${reason}); retry`,
      5,
    );
    this.name = 'PermissionCheckUnavailable';
  }
}

/** 403 `NOT_PERMITTED`: the user is authenticated but may not make this change. */
export class NotPermitted extends Forbidden {
  constructor(message = 'you may not make this change') {
    super('NOT_PERMITTED', message);
    this.name = 'NotPermitted';
  }
}

/**
 * A tenant's base URL is not an Atlassian product host (or not allowed by configuration): the
 * app never calls it. 400 `BASE_URL_NOT_ALLOWED` (install payloads are input).
 */
export class BaseUrlNotAllowed extends BadRequest {
  constructor(reason: string) {
    super('BASE_URL_NOT_ALLOWED', `baseUrl is not an Atlassian product URL: ${reason}`);
    this.name = 'BaseUrlNotAllowed';
  }
}
