/** append-field (multer's own way of nesting bracketed form field names) ships no types. */
declare module 'append-field' {
  function appendField(store: Record<string, unknown>, key: string, value: unknown): void;
  export = appendField;
}
