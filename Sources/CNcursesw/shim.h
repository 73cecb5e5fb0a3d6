// ncursesw for Swift 6: wide-character API on, and getters for C globals and macros that Swift
// cannot read directly (stdscr, LINES, COLS, COLORS, COLOR_PAIRS, COLOR_PAIR, A_* attributes,
// mouse masks, KEY_F(n), stdin/stdout, cur_term). Only the explorer's curses backend uses them.
#ifndef FGF_CNCURSESW_SHIM_H
#define FGF_CNCURSESW_SHIM_H
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <stdio.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

static inline WINDOW *fgf_stdscr(void) { return stdscr; }
static inline int fgf_lines(void) { return LINES; }
static inline int fgf_cols(void) { return COLS; }
static inline int fgf_colors(void) { return COLORS; }
static inline int fgf_color_pairs(void) { return COLOR_PAIRS; }

// Attributes.
static inline attr_t fgf_a_normal(void) { return A_NORMAL; }
static inline attr_t fgf_a_bold(void) { return A_BOLD; }
static inline attr_t fgf_a_reverse(void) { return A_REVERSE; }
static inline attr_t fgf_a_dim(void) { return A_DIM; }

// One screen cell: a character (up to CCHARW_MAX code points), attributes and a colour pair of
// any number (setcchar's pointer argument carries pairs above 255, see init_extended_pair).
static inline int fgf_setcchar(cchar_t *cell, const wchar_t *text, attr_t attributes, int pair) {
  return setcchar(cell, text, attributes, 0, &pair);
}
static inline int fgf_put_cell(int y, int x, const cchar_t *cell) {
  return mvwadd_wch(stdscr, y, x, cell);
}

// Keys and mouse.
static inline int fgf_key_f(int n) { return KEY_F(n); }
static inline mmask_t fgf_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t fgf_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t fgf_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t fgf_button5_pressed(void) {
#ifdef BUTTON5_PRESSED
  return BUTTON5_PRESSED;
#else
  return 0;
#endif
}

// Standard streams and the current terminfo entry.
static inline FILE *fgf_stdin_file(void) { return stdin; }
static inline FILE *fgf_stdout_file(void) { return stdout; }
static inline TERMINAL *fgf_cur_term(void) { return cur_term; }

// terminfo capabilities by name; NULL when absent or cancelled ((char *)-1 in terminfo).
static inline const char *fgf_tigetstr(const char *name) {
  char *value = tigetstr((char *)name);
  return (value == NULL || value == (char *)-1) ? NULL : value;
}
static inline int fgf_tigetnum(const char *name) { return tigetnum((char *)name); }
static inline int fgf_tigetflag(const char *name) { return tigetflag((char *)name); }
#endif
