/**
 * The crop-yield data of seed notebooks 000, 003 and 004: temperature (F), rainfall (mm) and humidity (%) per
 * region, and the apples and oranges (tons) it yields.
 */

/** Kanto, Johto, Hoenn, Sinnoh and Unova: the five regions of the manual model. */
export const FIVE_REGIONS = {
  inputs: [
    [73, 67, 43],
    [91, 88, 64],
    [87, 134, 58],
    [102, 43, 37],
    [69, 96, 70],
  ],
  targets: [
    [56, 70],
    [81, 101],
    [119, 133],
    [22, 37],
    [103, 119],
  ],
};

/** Fifteen regions (the five above, each twice more with small changes) for the DataLoader part of notebook 000. */
export const FIFTEEN_REGIONS = {
  inputs: [
    [73, 67, 43], [91, 88, 64], [87, 134, 58], [102, 43, 37], [69, 96, 70],
    [74, 66, 43], [91, 87, 65], [88, 134, 59], [101, 44, 37], [68, 96, 71],
    [73, 66, 44], [92, 87, 64], [87, 135, 57], [103, 43, 36], [68, 97, 70],
  ],
  targets: [
    [56, 70], [81, 101], [119, 133], [22, 37], [103, 119],
    [57, 69], [80, 102], [118, 132], [21, 38], [104, 118],
    [57, 69], [82, 100], [118, 134], [20, 38], [102, 120],
  ],
};

/** The new region whose yields the trained model predicts. */
export const NEW_REGION = [75, 63, 44];
