import { invalidProps } from './form-errors';

/** The name of a new attribute or interaction type, held by the browser to the server's identifier rule. */
export function SchemaNameInput({ value, onChange, placeholder, error, errorId }: { value: string; onChange: (v: string) => void; placeholder: string; error: unknown; errorId: string }) {
  return (
    <label>
      Name
      <input
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required
        placeholder={placeholder}
        pattern="[a-z][a-z0-9_]{0,62}"
        title="lower-case letters, digits and _, starting with a letter"
        {...invalidProps(error, 'name', errorId)}
      />
    </label>
  );
}
