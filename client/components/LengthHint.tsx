/**
 * Input feedback for a length limit (issue 14): nothing until 80 % of the limit, then a
 * count, then a message once over. Inputs using it drop `maxLength`, so over-long text is
 * never cut silently: the send button is disabled and this says why.
 */
export const isTooLong = (text: string, max: number): boolean => [...text].length > max;

export function LengthHint({ text, max, id }: { text: string; max: number; id?: string }) {
  const length = [...text].length;
  if (length < max * 0.8) return null;
  const over = length > max;
  return (
    <span id={id} className={`length-hint ${over ? 'is-over' : ''}`} role={over ? 'alert' : undefined} data-testid="length-hint">
      {over ? `Too long: ${length} of ${max} characters. Shorten it by ${length - max}.` : `${length} / ${max}`}
    </span>
  );
}
