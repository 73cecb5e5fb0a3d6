// ncursesw for Swift 6: wide-character API on, and getters for C globals and macros that Swift
// cannot read directly (stdscr, LINES, COLS, COLORS, COLOR_PAIRS, COLOR_PAIR, A_* attributes).
#ifndef FGF_CNCURSESW_SHIM_H
#define FGF_CNCURSESW_SHIM_H
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <ncursesw/curses.h>

static inline WINDOW *fgf_stdscr(void) { return stdscr; }
static inline int fgf_lines(void) { return LINES; }
static inline int fgf_cols(void) { return COLS; }
static inline int fgf_colors(void) { return COLORS; }
static inline int fgf_color_pairs(void) { return COLOR_PAIRS; }
#endif
