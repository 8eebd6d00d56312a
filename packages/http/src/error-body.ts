import { type Static, Type } from '@sinclair/typebox';

/**
 * The JSON body of every error response, as the one error handler writes it: routes declare it
 * for each error status they may answer, so serialisation and the OpenAPI document agree.
 */
export const ErrorBody = Type.Object(
  {
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
    requestId: Type.String(),
  },
  { description: 'Error' },
);
export type ErrorBody = Static<typeof ErrorBody>;
