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
  const count = input.scores.length;
  const byScore = [...Array(count).keys()].sort((left, right) => (input.scores[right] as number) - (input.scores[left] as number));
  if (count <= 1) return byScore;

  let first: number | undefined = byScore.find((index) => input.preferred[index] === true);
  if (first === undefined) {
    const unmeasured = byScore.filter((index) => input.unmeasured[index] === true);
    if (unmeasured.length > 0 && unmeasured.length < count && input.random() < input.explorationRate) {
      first = unmeasured[Math.floor(input.random() * unmeasured.length)];
    }
  }
  if (first === undefined) {
    const weights = byScore.map((index) => Math.pow(Math.max(0, input.scores[index] as number), SHARPNESS));
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    let target = input.random() * total;
    first = byScore[byScore.length - 1];
    for (let position = 0; position < byScore.length; position++) {
      target -= weights[position] as number;
      if (target < 0) {
        first = byScore[position];
        break;
      }
    }
  }
  return [first as number, ...byScore.filter((index) => index !== first)];
}
