export interface OrderingInput {
  scores: readonly number[];
  unmeasured: readonly boolean[];
  preferred: readonly boolean[];
  random: () => number;
  explorationRate: number;
}

/** How strongly the pick favours higher scores: weight = score^SHARPNESS (1.0 vs 0.9 → about 70/30; 1.0 vs 0.5 → over 99/1). */
const SHARPNESS = 8;

/**
 * The order in which candidates are tried: first a preferred candidate if one qualifies, else (now and then) an
 * unmeasured one so it gets measured, else a score-weighted random pick; the rest follow by score.
 */
export function orderCandidates(input: OrderingInput): number[] {
  const { scores } = input;
  const count = scores.length;
  const byScore: number[] = [];
  for (let index = 0; index < count; index++) byScore.push(index);
  if (count <= 1) return byScore;
  byScore.sort((left, right) => (scores[right] as number) - (scores[left] as number));

  let first: number | undefined = byScore.find((index) => input.preferred[index] === true);
  if (first === undefined) {
    const unmeasured = byScore.filter((index) => input.unmeasured[index] === true);
    if (unmeasured.length > 0 && unmeasured.length < count && input.random() < input.explorationRate) {
      first = unmeasured[Math.floor(input.random() * unmeasured.length)];
    }
  }
  if (first === undefined) {
    const weights: number[] = [];
    let total = 0;
    for (const index of byScore) {
      const weight = Math.pow(Math.max(0, scores[index] as number), SHARPNESS);
      weights.push(weight);
      total += weight;
    }
    let target = input.random() * total;
    first = byScore[count - 1];
    for (let position = 0; position < count; position++) {
      target -= weights[position] as number;
      if (target < 0) {
        first = byScore[position];
        break;
      }
    }
  }
  const order: number[] = [first as number];
  for (const index of byScore) if (index !== first) order.push(index);
  return order;
}
