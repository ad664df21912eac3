/** The product goal, read from the board (written by the PO). */
export function ProductGoal() {
  return null;
}
