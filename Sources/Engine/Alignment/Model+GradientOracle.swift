// Model+GradientOracle: the engine's model is the alignment analysis's gradient oracle as it is.

extension Model: GradientOracle {}
