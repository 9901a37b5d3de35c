/** The crop-yields data of the seed notebooks: (temp, rainfall, humidity) -> (apples, oranges). */

/** Seed 000/004: five regions. */
export const INPUTS_5 = [
  [73, 67, 43],
  [91, 88, 64],
  [87, 134, 58],
  [102, 43, 37],
  [69, 96, 70],
];

export const TARGETS_5 = [
  [56, 70],
  [81, 101],
  [119, 133],
  [22, 37],
  [103, 119],
];

/** Seed 003: the five rows repeated three times (15 rows), for the DataLoader workload. */
export const INPUTS_15 = [...INPUTS_5, ...INPUTS_5, ...INPUTS_5];
export const TARGETS_15 = [...TARGETS_5, ...TARGETS_5, ...TARGETS_5];
