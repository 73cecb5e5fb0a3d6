// zlib for Swift: inflateInit2/deflateInit2 are macros, so they are wrapped in functions here.
#ifndef FGF_CZLIB_SHIM_H
#define FGF_CZLIB_SHIM_H
#include <zlib.h>

// windowBits: 15+16 = gzip only, 15+32 = zlib or gzip (auto), -15 = raw deflate.
static inline int fgf_inflateInit2(z_streamp stream, int windowBits) {
  return inflateInit2(stream, windowBits);
}

static inline int fgf_deflateInit2(z_streamp stream, int level, int windowBits) {
  return deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}
#endif
