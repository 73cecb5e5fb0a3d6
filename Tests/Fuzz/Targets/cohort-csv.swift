// Fuzz target `cohort-csv`: the CSV parser and the cohort.csv table checks on any bytes. Text it
// accepts must survive encode → parse unchanged, and the valid rows of a cohort table must survive
// CohortCSV.encode → parse unchanged.

import Common
import Imaging

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCohortCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = fuzzBytes(data, size)
  guard let records = try? CSV.records(bytes, path: "cohort.csv") else { return 0 }
  let rows = records.map(\.fields)
  require(records.allSatisfy { !$0.fields.isEmpty && $0.line >= 1 }, "a record without fields or line")
  require(zip(records, records.dropFirst()).allSatisfy { $0.line < $1.line }, "line numbers do not increase")
  let encoded = CSV.encode(rows)
  let again = try? CSV.parse(encoded, path: "re-encoded.csv")
  require(again == rows, "CSV encode → parse changed the rows")

  guard let table = try? CohortCSV.parse(bytes, path: "cohort.csv") else { return 0 }
  require(table.rows.count == records.count - 1, "\(table.rows.count) checked rows for \(records.count - 1) data records")
  let valid = table.rows.compactMap { try? $0.get() }
  let text = CohortCSV.encode(records: valid, extraColumns: table.extraColumns)
  guard let back = try? CohortCSV.parse(Array(text.utf8), path: "re-encoded.csv") else {
    require(false, "the re-encoded table is refused")
    return 0
  }
  require(back.extraColumns == table.extraColumns, "extra columns changed in the round trip")
  let reread = back.rows.compactMap { try? $0.get() }
  require(reread.count == valid.count && back.rows.count == valid.count, "rows were lost or refused in the round trip")
  for (a, b) in zip(valid, reread) {
    require(a.id == b.id && a.label == b.label && a.split == b.split && a.image == b.image && a.mask == b.mask && a.extra == b.extra,
            "patient \(a.id) changed in the round trip")
  }
  return 0
}
