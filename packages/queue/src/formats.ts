import { FormatRegistry } from '@sinclair/typebox';

/**
 * TypeBox's `Value.Check` rejects any string `format` it does not know ("Unknown format"), so
 * the formats used by payload schemas are registered here, once, before any check runs.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (value) => UUID.test(value));
