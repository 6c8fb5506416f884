/**
 * An object parsed from a JSON body: every value is defined (a string, number, boolean, null,
 * array or object). Not spelt out recursively, which TypeORM's insert typing cannot expand.
 */
export interface JsonObject {
  [key: string]: NonNullable<unknown> | null;
}
