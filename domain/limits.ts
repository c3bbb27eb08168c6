// Field limits of the API. The server's JSON schemas and the provider's input checks are both built from
// these, so a name the preview accepts is one the server stores.
export const NAME_MAX_LENGTH = 128;
export const DESCRIPTION_MAX_LENGTH = 255;
export const TAGS_MAX_ENTRIES = 50;
export const TAG_KEY_MAX_LENGTH = 128;
export const TAG_VALUE_MAX_LENGTH = 256;
