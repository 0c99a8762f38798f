/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lecturetest.h: what the smoke tests of the lectures share.
 *
 * A lecture is tested as a program: lectures/lectureN in the build tree
 * (NN_TOP_BUILDDIR), run with --out under tests/out/lectureN there, so that
 * tests write only into the build tree. When gnuplot or dot cannot be run,
 * the checks of the figures assert the documented fallback instead (scripts
 * written, no pictures) rather than skip.
 *
 * lt_init() runs the lecture once with its default knobs, drawing every
 * figure, and the tests read what that run printed and wrote; the other
 * tests run it with other knobs, without drawing (--no-figures: the scripts
 * and data are written, gnuplot and dot are not run), which keeps the tests
 * quick; lt_run_lecture_drawn() draws:
 *
 *   static int setup(void **state) { (void) state; lt_init(2); return 0; }
 *   ...
 *   lt_check_lesson(&lt_default_run, headings);
 *   lt_check_figures(lt_default_dir(), plots, graphs);
 *   lt_run r = lt_run_lecture("knobs", args, NULL);
 *   lt_check_succeeded(&r);
 *   assert_true(lt_contains(r.out, "## 1. A neuron"));
 *   lt_run_free(&r);
 *   ...
 *   return cmocka_run_group_tests(tests, setup, lt_teardown);
 */
#ifndef NN_LECTURETEST_H
#define NN_LECTURETEST_H

#include <stddef.h>

/* What a program did. */
typedef struct lt_run {
  int status;  /* exit status; 128 + signal when killed */
  char *out;   /* everything it printed on stdout (owned) */
  char *err;   /* and on stderr (owned) */
} lt_run;

/* ===== Setting up ===== */

/* Set up for lecture NUMBER: find the program, make tests/out/lectureN,
 * find out whether gnuplot and dot can run, and run the lecture once with
 * its default knobs into lt_default_dir() (lt_default_run). Call from the
 * group setup; lt_teardown() is the group teardown. */
void lt_init(int number);

/* Frees lt_default_run. A cmocka group teardown. */
int lt_teardown(void **state);

/* 1 when gnuplot (dot) can be run; set by lt_init(). */
extern int lt_have_gnuplot, lt_have_dot;

/* What the lecture printed with its default knobs, for the tests that read
 * it; made by lt_init(), freed by lt_teardown(). Its files are in
 * lt_default_dir(), tests/out/lectureN/default. */
extern lt_run lt_default_run;
const char *lt_default_dir(void);

/* The lecture program, and tests/out/lectureN in the build tree. */
const char *lt_lecture(void);
const char *lt_out_root(void);

/* tests/out/lectureN/SUB. Points into static storage: valid until the next
 * call. */
const char *lt_dir(const char *sub);

/* DIR/NAME.EXT. Points into one of four static buffers taken in turn, so
 * that a test may hold a few paths at once. */
const char *lt_path(const char *dir, const char *name, const char *ext);

/* ===== Running ===== */

/* Run argv[0] (a path, or a name looked up in PATH) with the extra
 * environment ENV ("NAME=value" strings, NULL-terminated, may be NULL) in
 * the folder CWD (NULL: here), and capture what it prints. */
lt_run lt_run_program(const char *const *argv, const char *const *env,
                      const char *cwd);

/* Run the lecture with --out OUT_ROOT/SUB (emptied first), ARGS and
 * --no-figures: its lesson and numbers, its scripts and data, no drawing. */
lt_run lt_run_lecture(const char *sub, const char *const *args,
                      const char *const *env);

/* The same, drawing the figures (gnuplot and dot run), as a student runs it. */
lt_run lt_run_lecture_drawn(const char *sub, const char *const *args,
                            const char *const *env);

void lt_run_free(lt_run *r);

/* The run R exited with status 0; else its stderr is shown, and the test
 * fails. */
void lt_check_succeeded(const lt_run *r);

/* ===== Reading what a lecture printed ===== */

/* 1 when HAYSTACK contains NEEDLE; else 0, saying which text was missing. */
int lt_contains(const char *haystack, const char *needle);

/* Where OUT prints TEXT first; fails the test, naming TEXT, when it does
 * not. */
const char *lt_find(const char *out, const char *text);

/* The number printed right after TEXT in OUT; fails the test when absent. */
double lt_printed_after(const char *out, const char *text);

/* The numbers of a vector printed as "MARKER(a, b, c)", at the first MARKER
 * in TEXT (which must be there): up to MAX of them into V. Returns how many
 * there were, up to MAX. */
size_t lt_printed_vector(const char *text, const char *marker, double *v,
                         size_t max);

/* A matrix printed as "\nNAME =\n  [ a b ]\n  [ c d ]\n", at the first such
 * NAME in TEXT (which must be there): up to MAX_ROWS rows of up to MAX_COLS
 * entries into M, row-major with MAX_COLS entries per row. Every row must
 * have as many entries as the first; *COLS receives that number (which may
 * exceed MAX_COLS). Returns the number of rows read. */
size_t lt_printed_matrix(const char *text, const char *name, double *m,
                         size_t max_rows, size_t max_cols, size_t *cols);

/* ===== Reading the files a lecture wrote ===== */

/* The whole of a file, NUL-terminated; *size its length (size may be NULL).
 * NULL when it cannot be read. The caller frees it. */
char *lt_read_file(const char *path, size_t *size);

/* The size of DIR/NAME.EXT, or -1 when it does not exist. */
int lt_file_size(const char *dir, const char *name, const char *ext);

/* Block INDEX of a gnuplot .dat file (blocks are separated by two blank
 * lines; '#' lines are comments): up to MAX points (first two columns)
 * with finite values. Returns how many. */
size_t lt_read_block(const char *path, size_t index, double *x, double *y,
                     size_t max);

/* The same for three columns (a grid, whose rows are separated by one blank
 * line, or a curve in 3D): up to MAX points with three finite values. */
size_t lt_read_block3(const char *path, size_t index, double *x, double *y,
                      double *z, size_t max);

/* ===== Checks every lecture passes ===== */

/* The lesson R printed: the run succeeded, every one of HEADINGS
 * (NULL-terminated) is printed, each after the one before it (the order of
 * the source), and no "///" of the literate source is left in the text. */
void lt_check_lesson(const lt_run *r, const char *const *headings);

/* The lesson R drew the plot TITLE in the terminal: with gnuplot, the dumb
 * terminal's frame (+-----) and the title are printed; without it, stderr
 * names the Debian package gnuplot-nox and the lesson says what was "not
 * drawn". */
void lt_check_terminal_plot(const lt_run *r, const char *title);

/* Every figure in DIR is complete and valid: each PLOTS[k] has a .gp and a
 * .dat, each GRAPHS[k] a .dot (both lists end with NULL); and every .gp in
 * DIR has its .dat, its .svg and a .png with a PNG signature and runs under
 * gnuplot without an error, every .dot parses with dot and has its .svg
 * (or, without gnuplot or dot, no picture at all). */
void lt_check_figures(const char *dir, const char *const *plots,
                      const char *const *graphs);

/* The lecture run with ARGS as if gnuplot and dot were missing (NN_GNUPLOT
 * and NN_DOT name programs that do not exist), into lt_dir("fallback"),
 * still succeeds: stderr names the Debian packages to install (gnuplot-nox
 * once, graphviz), the lesson says what was "not drawn" and still lists its
 * "## Figures written", and the figure PLOT still has its script (.gp) and
 * data (.dat) and the diagram GRAPH its .dot, but neither has a picture
 * (.svg). The files stay in lt_dir("fallback") for the lecture's own
 * checks. */
void lt_check_missing_programs(const char *const *args, const char *plot,
                               const char *graph);

/* --help exits 0 and mentions every text of KNOBS (NULL-terminated). */
void lt_check_help(const char *const *knobs);

/* ARGS (NULL-terminated) are refused with exit status 2 before the lesson
 * starts, and the message on stderr mentions both texts. */
void lt_check_refused(const char *const *args, const char *says,
                      const char *also_says);

/* What every lecture's runtime does, on this lecture: --sections lists the
 * sections, numbered from 0 (the title), and section 1 is the first "## "
 * heading of lt_default_run; --section 1 prints that section and nothing of the others (not the
 * title, not "Figures written") but writes every figure the full run
 * writes; a section past the last is refused with status 2 after the run;
 * in a pipe no terminal attribute is printed, and on a terminal (a
 * pseudo-terminal) headings are bold, unless NO_COLOR or TERM=dumb. */
void lt_check_sections_and_terminal(void);

/* Two runs with --seed 7 print the same lesson, and --seed 8 another one. */
void lt_check_seed_determines_the_lesson(void);

/* Two runs with --seed 7, into seed-a and seed-b, write the same FILES
 * (names with their extension, NULL-terminated), byte for byte. */
void lt_check_seed_determines_the_files(const char *const *files);

/* ===== Gradient checks ===== */

/* peaks(x, y) = 3(1-x)² e^(-x²-(y+1)²) - 10(x/5 - x³ - y⁵) e^(-x²-y²)
 *               - (1/3) e^(-(x+1)²-y²), written out as the syllabus gives
 * it (independently of the library), and its gradient by central
 * differences of step H into G. */
double lt_peaks(double x, double y);
void lt_peaks_gradient(double x, double y, double h, double g[2]);

/* The relative error of a gradient check in the max-norm over the N
 * entries of the ANALYTIC and NUMERICAL gradients a and n:
 * max |a - n| / max(|a| + |n|), the denominator at least 1e-8. Fails the
 * test when the analytic gradient is all zeros: a check of zeros against
 * zeros proves nothing. */
double lt_relative_error(const double *analytic, const double *numerical,
                         size_t n);

/* The slopes SLOPE[k] = f'(X[k]) that a lecture wrote, at N >= 10 points,
 * pass a gradient check against central differences of F (with PARAMS) at
 * the same points: the relative error max |a - n| / max(|a| + |n|) is below
 * 1e-7 (the course's threshold), and the slopes are not all zero (the
 * scale is above 1e-3: a zero curve would "agree" with any flat function).
 * The step is relative to x, h = 1e-5 max(|x|, 0.01): -log p near
 * p = 0.001 curves too fast for a fixed h = 1e-5 (its truncation error
 * (h²/6)|f'''| would be 1e-5). WHAT names the slopes in a failure. */
void lt_check_slopes(const char *what, const double *x, const double *slope, size_t n,
                     double (*f)(double x, const double *params), const double *params);

#endif /* NN_LECTURETEST_H */
