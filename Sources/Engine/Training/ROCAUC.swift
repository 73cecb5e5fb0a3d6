// ROC AUC by the Mann–Whitney statistic with average ranks for ties: the probability that a
// random positive scores above a random negative, ties counting one half.

/// Area under the ROC curve of `scores` for 0/1 `labels`; nil when a class is absent, a label is
/// not 0 or 1, the counts differ, or a score is NaN.
public func rocAUC<S: BinaryFloatingPoint>(scores: [S], labels: [Int]) -> Double? {
  guard scores.count == labels.count, labels.allSatisfy({ $0 == 0 || $0 == 1 }), !scores.contains(where: \.isNaN) else { return nil }
  let positives = labels.filter { $0 == 1 }.count
  let negatives = labels.count - positives
  guard positives > 0, negatives > 0 else { return nil }
  let order = scores.indices.sorted { scores[$0] < scores[$1] }
  var positiveRankSum = 0.0
  var start = 0
  while start < order.count {
    var end = start + 1
    while end < order.count && scores[order[end]] == scores[order[start]] { end += 1 }
    // Ranks start+1 … end share their mean.
    let rank = Double(start + 1 + end) / 2
    for i in start..<end where labels[order[i]] == 1 { positiveRankSum += rank }
    start = end
  }
  let p = Double(positives), n = Double(negatives)
  return (positiveRankSum - p * (p + 1) / 2) / (p * n)
}
