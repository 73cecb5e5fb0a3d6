#!/usr/bin/env bash
# Retrains the demo models Assets/model-A.safetensors and Assets/model-B.safetensors bit for bit
# (README "The demo models"; the recipe is Pipeline.DemoModels, which a test checks the files
# against). A: no penalty. B: starts from A and continues with the alignment penalty on S,
# keeping only epochs whose validation alignment on S is at least 1.5 × A's.
# Results do not depend on FGF_THREADS; it is fixed anyway so timings are comparable.
# Usage: Assets/train-demo-models.sh [path/to/fgf]   (default: builds and uses .build/release/fgf)
# An interrupted run resumes from its checkpoint when the script is run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -ge 1 ]]; then
  fgf=$1
else
  swift build -c release --product fgf
  fgf=.build/release/fgf
fi
export FGF_THREADS=2

SEED=2
EPOCHS_A=120
LR_A=5e-3
EPOCHS_B=30
LR_B=5e-3
LAMBDA_B=10
MIN_ALIGNMENT_GAIN_B=1.5
FEATURES_B=shape.volume,shape.circularity,texture.contrast

work=Assets/.train-demo-models
mkdir -p "$work"

# Trains into $work (the checkpoint lives beside the output), then moves the model into Assets/.
train() {
  local name=$1; shift
  local out="$work/$name.safetensors"
  local resume=()
  [[ -f "$out.checkpoint" ]] && resume=(--resume)
  echo "== $name: $fgf train demo --out $out $* ${resume[*]}"
  time "$fgf" train demo --out "$out" "$@" "${resume[@]}"
  mv "$out" "Assets/$name.safetensors"
}

train model-A --seed "$SEED" --epochs "$EPOCHS_A" --learning-rate "$LR_A"
train model-B --init Assets/model-A.safetensors --seed "$SEED" --epochs "$EPOCHS_B" --learning-rate "$LR_B" \
  --lambda "$LAMBDA_B" --features "$FEATURES_B" --min-alignment-gain "$MIN_ALIGNMENT_GAIN_B"
rmdir "$work" 2>/dev/null || true
sha256sum Assets/model-A.safetensors Assets/model-B.safetensors
