// Train/val/test splits for imported patients when the source gives none: seeded, stratified by
// label, 60/20/20. Within each label the patients are sorted by id and shuffled with the seed, so
// the same cohort and seed always give the same split, whatever order files were found in.

import Common

public enum SplitAssignment {
  /// Fractions of each label class put in train and val; the rest go to test.
  public static let trainFraction = 0.6
  public static let valFraction = 0.2

  /// A split for each patient id, stratified by its label.
  public static func assign(labels: [String: Int], seed: UInt64) -> [String: Split] {
    var splits: [String: Split] = [:]
    for label in Set(labels.values).sorted() {
      var ids = labels.filter { $0.value == label }.map(\.key).sorted()
      var random = SeededRandom(seed: seed, stream: UInt64(label))
      random.shuffle(&ids)
      let train = Int((Double(ids.count) * trainFraction).rounded())
      let val = Int((Double(ids.count) * valFraction).rounded())
      for (index, id) in ids.enumerated() {
        splits[id] = index < train ? .train : index < min(ids.count, train + val) ? .val : .test
      }
    }
    return splits
  }
}
