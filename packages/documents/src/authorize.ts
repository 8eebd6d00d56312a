/** A change that needs permission (reads never ask). */
export type DocumentAction =
  | 'create'
  | 'update'
  | 'delete'
  | 'restore'
  | 'set-default-theme'
  | 'assign-space-theme'
  | 'unassign-space-theme';

/** What a document write is about to do: the documents' case of `@rt/auth`'s `WriteRequest`. */
export interface AuthorizationRequest {
  action: DocumentAction;
  resource: 'layout' | 'theme' | 'space-theme';
  /** `site` or `space:<KEY>`: site-wide changes need a Confluence admin, space ones a space admin. */
  scope: string;
}
