# SPDX-License-Identifier: GPL-3.0-or-later
## tests/: the project's own tests, cmocka programs run by automake's harness
## (exit 0 pass, 77 skip, 99 hard error). One cmocka group per program.

TEST_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS)
TEST_LDADD = lib/libnncourse.la $(CMOCKA_LIBS) $(GSL_LIBS)
# A test with nothing of its own is tests/test-NAME.c, linked with these (the
# default of every program here that names no LDADD of its own).
AM_CPPFLAGS += $(CMOCKA_CFLAGS)
LDADD = $(TEST_LDADD)

lib_tests = \
	tests/test-linalg \
	tests/test-deriv \
	tests/test-poly \
	tests/test-plot \
	tests/test-graph \
	tests/test-descent \
	tests/test-autograd \
	tests/test-data \
	tests/test-perceptron \
	tests/test-activation \
	tests/test-softmax \
	tests/test-dense \
	tests/test-network \
	tests/test-loss \
	tests/test-gradcheck \
	tests/test-optim \
	tests/test-checkpoint \
	tests/test-dropout \
	tests/test-train \
	tests/test-idx \
	tests/test-rnn \
	tests/test-attention

check_PROGRAMS += $(lib_tests)
TESTS += $(lib_tests)
noinst_HEADERS += %D%/nntest.h %D%/batchtest.h

tests_test_plot_SOURCES = %D%/test-plot.c %D%/figuretest.c %D%/figuretest.h
tests_test_graph_SOURCES = %D%/test-graph.c %D%/figuretest.c %D%/figuretest.h
tests_test_idx_CPPFLAGS = $(AM_CPPFLAGS) $(ZLIB_CFLAGS)
tests_test_checkpoint_CPPFLAGS = $(AM_CPPFLAGS) $(ZLIB_CFLAGS)
tests_test_checkpoint_LDADD = $(TEST_LDADD) $(ZLIB_LIBS)
tests_test_idx_LDADD = $(TEST_LDADD) $(ZLIB_LIBS)
tests_test_optim_SOURCES = %D%/test-optim.c %D%/reference/optim-torch.h
EXTRA_DIST += %D%/reference/optim-torch.py
tests_test_rnn_SOURCES = %D%/test-rnn.c %D%/reference/rnn-torch.h
tests_test_attention_SOURCES = %D%/test-attention.c %D%/reference/attention-torch.h
EXTRA_DIST += %D%/reference/rnn-torch.py %D%/reference/attention-torch.py

# The slow end-to-end tests, which grade whole classes of fixture
# submissions, are in TESTS like the others but skip themselves (exit 77,
# saying why) unless NN_CHECK_LONG=1, so that `make check` stays quick;
# `make check-long` runs them through the same harness (CI runs both).
LONG_TESTS =
check-long:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS='$(LONG_TESTS)' NN_CHECK_LONG=1
PHONY_TARGETS += check-long

# The grader on fixture submissions (reference solutions, stubs, hostile code).
if HAVE_REFERENCE
check_PROGRAMS += tests/test-grader
LONG_TESTS += tests/test-grader
TESTS += tests/test-grader
endif
EXTRA_DIST += %D%/fixtures

# The sandbox on hostile submissions, with bubblewrap and without.
if HAVE_REFERENCE
check_PROGRAMS += tests/test-sandbox
LONG_TESTS += tests/test-sandbox
TESTS += tests/test-sandbox
endif

# nngrade batch as a TA uses it: hidden tests, rubric, results.json, resume.
if HAVE_REFERENCE
check_PROGRAMS += tests/test-batch
LONG_TESTS += tests/test-batch
TESTS += tests/test-batch
endif

# nngrade batch on what a submission and a TA may hand it: links out of a
# submission folder, calls looked up at run time, the rubric's times.
if HAVE_REFERENCE
check_PROGRAMS += tests/test-submissions
TESTS += tests/test-submissions
endif

# nngrade batch on hard names and with a roster; and what stands around the
# grading: the grader's own setup, --out, check --hidden, --version.
if HAVE_REFERENCE
check_PROGRAMS += tests/test-batch-names tests/test-batch-setup
TESTS += tests/test-batch-names tests/test-batch-setup
endif

# The similarity checker (nngrade similar), linked in directly; it reads the
# reference solution, so it needs the fixtures too.
if HAVE_REFERENCE
check_PROGRAMS += tests/test-similar
TESTS += tests/test-similar
endif
tests_test_similar_SOURCES = %D%/test-similar.c grader/similar.c \
	grader/similar-tokens.c grader/similar-fingerprints.c \
	grader/similar-match.c grader/similar-report.c
tests_test_similar_CPPFLAGS = $(TEST_CPPFLAGS) -I$(srcdir)/grader

# The archive unpacker of nngrade batch, linked in directly, on hostile
# archives that the test builds itself (no fixtures needed).
check_PROGRAMS += tests/test-unpack
TESTS += tests/test-unpack
tests_test_unpack_SOURCES = %D%/test-unpack.c grader/unpack.c
tests_test_unpack_CPPFLAGS = $(TEST_CPPFLAGS) $(LIBARCHIVE_CFLAGS) -I$(srcdir)/grader
tests_test_unpack_LDADD = $(CMOCKA_LIBS) $(LIBARCHIVE_LIBS)

# The running problem of lectures 2 to 7, from the lessons' own library.
check_PROGRAMS += tests/test-running
TESTS += tests/test-running
tests_test_running_LDADD = lectures/liblesson.a $(TEST_LDADD)

# What nngrade writes (JSON strings, results.json), linked in directly.
check_PROGRAMS += tests/test-report
TESTS += tests/test-report
tests_test_report_SOURCES = %D%/test-report.c grader/report.c
tests_test_report_CPPFLAGS = $(TEST_CPPFLAGS) -I$(srcdir)/grader

# The lesson runtime the lectures share, in one process.
check_PROGRAMS += tests/test-lesson
TESTS += tests/test-lesson
tests_test_lesson_CPPFLAGS = $(TEST_CPPFLAGS) -I$(srcdir)/lectures
tests_test_lesson_LDADD = lectures/liblesson.a $(TEST_LDADD)

# Smoke tests of the lectures: each runs its lecture (built by `make all`).
lecture_tests = tests/test-lecture1 tests/test-lecture2 tests/test-lecture3 \
	tests/test-lecture4 tests/test-lecture5 tests/test-lecture6 tests/test-lecture7 \
	tests/test-lecture8 tests/test-lecture9 tests/test-lecture10 tests/test-lecture11 \
	tests/test-lecture12 tests/test-lecture13
check_PROGRAMS += $(lecture_tests)
TESTS += $(lecture_tests)
noinst_HEADERS += %D%/lecturetest.h %D%/runningref.h
LECTURE_TEST_SOURCES = %D%/lecturetest.c
tests_test_lecture1_SOURCES = %D%/test-lecture1.c $(LECTURE_TEST_SOURCES)
tests_test_lecture2_SOURCES = %D%/test-lecture2.c $(LECTURE_TEST_SOURCES)
tests_test_lecture3_SOURCES = %D%/test-lecture3.c $(LECTURE_TEST_SOURCES)
tests_test_lecture4_SOURCES = %D%/test-lecture4.c $(LECTURE_TEST_SOURCES)
tests_test_lecture5_SOURCES = %D%/test-lecture5.c $(LECTURE_TEST_SOURCES)
tests_test_lecture6_SOURCES = %D%/test-lecture6.c $(LECTURE_TEST_SOURCES)
tests_test_lecture7_SOURCES = %D%/test-lecture7.c $(LECTURE_TEST_SOURCES)
tests_test_lecture8_SOURCES = %D%/test-lecture8.c $(LECTURE_TEST_SOURCES)
tests_test_lecture9_SOURCES = %D%/test-lecture9.c $(LECTURE_TEST_SOURCES)
tests_test_lecture10_SOURCES = %D%/test-lecture10.c $(LECTURE_TEST_SOURCES)
# Lecture 11 on a small IDX set the test writes (with zlib), and on the real
# Fashion-MNIST when installed (else SKIP), after it: both use tests/out/lecture11.
tests_test_lecture11_SOURCES = %D%/test-lecture11.c $(LECTURE_TEST_SOURCES)
tests_test_lecture11_CPPFLAGS = $(AM_CPPFLAGS) $(ZLIB_CFLAGS)
tests_test_lecture11_LDADD = $(TEST_LDADD) $(ZLIB_LIBS)
check_PROGRAMS += tests/test-lecture11-fashion
TESTS += tests/test-lecture11-fashion
tests_test_lecture11_fashion_SOURCES = %D%/test-lecture11-fashion.c $(LECTURE_TEST_SOURCES)
EXTRA_tests_test_lecture11_fashion_DEPENDENCIES = lectures/lecture11$(EXEEXT)
LECTURE11_FASHION_LOG = tests/test-lecture11-fashion.log
$(LECTURE11_FASHION_LOG): tests/test-lecture11.log
tests_test_lecture12_SOURCES = %D%/test-lecture12.c $(LECTURE_TEST_SOURCES)
tests_test_lecture13_SOURCES = %D%/test-lecture13.c $(LECTURE_TEST_SOURCES)
# Each runs its lecture: `make tests/test-lectureN` builds that too.
$(lecture_tests:%=%$(EXEEXT)): tests/test-lecture%$(EXEEXT): lectures/lecture%$(EXEEXT)

# Tests find the build and source trees here and write only under the build tree.
AM_TESTS_ENVIRONMENT = \
	NN_CHECK_LONG='$(NN_CHECK_LONG)'; export NN_CHECK_LONG; \
	NN_TOP_SRCDIR='$(abs_top_srcdir)'; export NN_TOP_SRCDIR; \
	NN_TOP_BUILDDIR='$(abs_top_builddir)'; export NN_TOP_BUILDDIR;

# make check-valgrind: every test program under valgrind; a leak or an
# invalid access fails the test. (Programs a test starts, such as nngrade,
# run natively here; configure --enable-asan covers them as well.)
VALGRIND_FLAGS = -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
	--error-exitcode=1
check-valgrind:
	$(MAKE) $(AM_MAKEFLAGS) check \
	  LOG_COMPILER='$(LIBTOOL) --mode=execute valgrind $(VALGRIND_FLAGS)'
PHONY_TARGETS += check-valgrind

clean-local: clean-local-tests
clean-local-tests:
	-rm -rf tests/out
PHONY_TARGETS += clean-local-tests

# make bench-train: the library's training speed against plain C over the
# same BLAS calls and, when python3-torch is installed, PyTorch (one thread,
# CPU time). Needs Fashion-MNIST (Debian: dataset-fashion-mnist).
EXTRA_PROGRAMS += tests/bench-train
EXTRA_DIST += %D%/bench-train.py
bench-train: tests/bench-train$(EXEEXT)
	@torch=; for py in python3 /usr/bin/python3; do \
	  if $$py -c 'import torch' 2>/dev/null; then \
	    torch="$$py $(srcdir)/tests/bench-train.py"; break; fi; done; \
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 ./tests/bench-train $(BENCH_TRAIN_ARGS) \
	  $${torch:+--torch "$$torch"}
PHONY_TARGETS += bench-train
CLEANFILES += $(EXTRA_PROGRAMS)

# The weaver of make handouts, on a small lecture the test writes itself.
check_PROGRAMS += tests/test-handout
TESTS += tests/test-handout
EXTRA_tests_test_handout_DEPENDENCIES = lectures/handout$(EXEEXT)

# The handouts in headless Chromium (skipped without it); they are made
# (make handouts) before the test runs.
check_PROGRAMS += tests/test-handouts-browser
TESTS += tests/test-handouts-browser
EXTRA_tests_test_handouts_browser_DEPENDENCIES = $(HANDOUT_FILES)
