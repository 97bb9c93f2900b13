import { useEffect, useState } from "react";
import { useFormat } from "../lib/format";
import { useT, type Messages } from "../i18n";

/** Why `text` is not a quantity, or null when it is one. */
export function quantityProblem(text: string, t: Messages, fmt: { number(n: number): string }, min = 1, max?: number): string | null {
  const trimmed = text.trim();
  if (trimmed === "") return t.quantityEmpty;
  if (!/^\d+$/.test(trimmed)) return t.quantityNotWhole;
  const n = Number(trimmed);
  if (n < min) return t.quantityTooSmall(fmt.number(min));
  if (max !== undefined && n > max) return t.quantityTooLarge(fmt.number(max));
  return null;
}

/** A quantity box the buyer may edit freely (empty it, type over it): only a valid number
 *  reaches `onChange`; anything else stays in the box with the reason below it.
 *  `commit="change"` reports every valid value as typed (the caller debounces), `"blur"` only
 *  when the box is left or Enter is pressed. */
export function QuantityInput(props: {
  value: number;
  onChange(quantity: number): void;
  /** Told whether the box holds a valid quantity now. */
  onValidity?(valid: boolean): void;
  commit?: "change" | "blur";
  min?: number;
  max?: number;
  id?: string;
  name?: string;
  testId?: string;
  label?: string;
  /** Changed by the caller to put `value` back into the box (a preset equal to the last
   *  valid value, chosen while the box holds something invalid). */
  reset?: number;
}) {
  const { value, onChange, onValidity, commit = "change", min = 1, max, id, name, testId, label, reset } = props;
  const t = useT();
  const fmt = useFormat();
  const [text, setText] = useState(String(value));
  // A value set from outside (a preset button, the server's answer) replaces the text.
  useEffect(() => {
    setText((current) => (Number(current) === value && current.trim() !== "" ? current : String(value)));
  }, [value, reset]);
  const problem = quantityProblem(text, t, fmt, min, max);
  useEffect(() => onValidity?.(problem === null), [problem, onValidity]);

  const report = (next: string) => {
    if (quantityProblem(next, t, fmt, min, max) === null && Number(next) !== value) onChange(Number(next));
  };
  return (
    <span className="quantity-input">
      <input
        id={id}
        name={name}
        inputMode="numeric"
        autoComplete="off"
        aria-label={label}
        aria-invalid={problem !== null}
        aria-describedby={problem && id ? `${id}-problem` : undefined}
        data-testid={testId}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (commit === "change") report(e.target.value);
        }}
        onBlur={() => commit === "blur" && report(text)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && commit === "blur") (e.target as HTMLInputElement).blur();
        }}
      />
      {problem && (
        <small className="field-error" role="alert" id={id ? `${id}-problem` : undefined} data-testid="quantity-problem">
          {problem}
        </small>
      )}
    </span>
  );
}
