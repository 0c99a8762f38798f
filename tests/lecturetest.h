/* lecturetest.h: what the smoke tests of the lectures share.
 *
 * A lecture is tested as a program: lectures/lectureN in the build tree
 * (NN_TOP_BUILDDIR), run with --out under tests/out/lectureN there, so that
 * tests write only into the build tree. When gnuplot or dot cannot be run,
 * the checks of the figures assert the documented fallback instead (scripts
 * written, no pictures) rather than skip.
 *
 *   static int setup(void **state) { lt_init(2); return 0; }
 *   ...
 *   lt_run r = lt_run_lecture("default", NULL, NULL);
 *   assert_int_equal(r.status, 0);
 *   assert_true(lt_contains(r.out, "## 1. The perceptron"));
 *   lt_check_figures(lt_dir("default"), plots, graphs);
 *   lt_run_free(&r);
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

/* Set up for lecture NUMBER: find the program, make tests/out/lectureN,
 * find out whether gnuplot and dot can run. Call from the group setup. */
void lt_init(int number);

/* 1 when gnuplot (dot) can be run; set by lt_init(). */
extern int lt_have_gnuplot, lt_have_dot;

/* The lecture program, and tests/out/lectureN in the build tree. */
const char *lt_lecture(void);
const char *lt_out_root(void);

/* tests/out/lectureN/SUB. Points into static storage: valid until the next
 * call. */
const char *lt_dir(const char *sub);

/* The whole of a file, NUL-terminated; *size its length (size may be NULL).
 * NULL when it cannot be read. The caller frees it. */
char *lt_read_file(const char *path, size_t *size);

/* Run argv[0] (a path, or a name looked up in PATH) with the extra
 * environment ENV ("NAME=value" strings, NULL-terminated, may be NULL) in
 * the folder CWD (NULL: here), and capture what it prints. */
lt_run lt_run_program(const char *const *argv, const char *const *env,
                      const char *cwd);

/* Run the lecture with --out OUT_ROOT/SUB (emptied first) and ARGS. */
lt_run lt_run_lecture(const char *sub, const char *const *args,
                      const char *const *env);

void lt_run_free(lt_run *r);

/* 1 when HAYSTACK contains NEEDLE; else 0, saying which text was missing. */
int lt_contains(const char *haystack, const char *needle);

/* The size of DIR/NAME.EXT, or -1 when it does not exist. */
int lt_file_size(const char *dir, const char *name, const char *ext);

/* Every figure in DIR is complete and valid: each PLOTS[k] has a .gp and a
 * .dat, each GRAPHS[k] a .dot (both lists end with NULL); and every .gp in
 * DIR has its .dat, its .svg and a .png with a PNG signature and runs under
 * gnuplot without an error, every .dot parses with dot and has its .svg
 * (or, without gnuplot or dot, no picture at all). */
void lt_check_figures(const char *dir, const char *const *plots,
                      const char *const *graphs);

/* Block INDEX of a gnuplot .dat file (blocks are separated by two blank
 * lines; '#' lines are comments): up to MAX points (first two columns)
 * with finite values. Returns how many. */
size_t lt_read_block(const char *path, size_t index, double *x, double *y,
                     size_t max);

/* The number printed right after TEXT in OUT; fails the test when absent. */
double lt_printed_after(const char *out, const char *text);

/* --help exits 0 and mentions every text of KNOBS (NULL-terminated). */
void lt_check_help(const char *const *knobs);

/* ARGS (NULL-terminated) are refused with exit status 2 before the lesson
 * starts, and the message on stderr mentions both texts. */
void lt_check_refused(const char *const *args, const char *says,
                      const char *also_says);

/* Two runs with --seed 7 print the same lesson, and --seed 8 another one. */
void lt_check_seed_determines_the_lesson(void);

#endif /* NN_LECTURETEST_H */
