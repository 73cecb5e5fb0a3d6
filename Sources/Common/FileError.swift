// FileError: the error users see when a file cannot be read or written. It names the file, the
// place in it (byte offset, line, tensor, field) and the problem, with a hint where one helps.

/// A problem with a file, reported to the user as `path: place: problem (hint)`.
public struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file (or directory) concerned, as the user named it.
  public var path: String
  /// Where in the file: "byte 8", "line 12", "tensor conv1.weight", "header"; nil for the whole file.
  public var place: String?
  /// What is wrong, in plain words.
  public var problem: String
  /// What the user might do about it.
  public var hint: String?

  public init(path: String, place: String? = nil, problem: String, hint: String? = nil) {
    self.path = path
    self.place = place
    self.problem = problem
    self.hint = hint
  }

  public var description: String {
    var text = path
    if let place { text += ": \(place)" }
    text += ": \(problem)"
    if let hint { text += " (\(hint))" }
    return text
  }
}
