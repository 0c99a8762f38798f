# SPDX-License-Identifier: GPL-3.0-or-later
## tests/: the project's own tests, cmocka programs run by automake's harness
## (exit 0 pass, 77 skip, 99 hard error). One cmocka group per program.

TEST_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS)
TEST_LDADD = lib/libnncourse.la $(CMOCKA_LIBS) $(GSL_LIBS)

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
	tests/test-idx

check_PROGRAMS += $(lib_tests)
TESTS += $(lib_tests)
noinst_HEADERS += %D%/nntest.h

tests_test_linalg_SOURCES = %D%/test-linalg.c
tests_test_linalg_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_linalg_LDADD = $(TEST_LDADD)
tests_test_deriv_SOURCES = %D%/test-deriv.c
tests_test_deriv_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_deriv_LDADD = $(TEST_LDADD)
tests_test_poly_SOURCES = %D%/test-poly.c
tests_test_poly_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_poly_LDADD = $(TEST_LDADD)
tests_test_plot_SOURCES = %D%/test-plot.c %D%/figuretest.c %D%/figuretest.h
tests_test_plot_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_plot_LDADD = $(TEST_LDADD)
tests_test_graph_SOURCES = %D%/test-graph.c %D%/figuretest.c %D%/figuretest.h
tests_test_graph_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_graph_LDADD = $(TEST_LDADD)
tests_test_descent_SOURCES = %D%/test-descent.c
tests_test_descent_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_descent_LDADD = $(TEST_LDADD)
tests_test_autograd_SOURCES = %D%/test-autograd.c
tests_test_autograd_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_autograd_LDADD = $(TEST_LDADD)
tests_test_data_SOURCES = %D%/test-data.c
tests_test_data_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_data_LDADD = $(TEST_LDADD)
tests_test_perceptron_SOURCES = %D%/test-perceptron.c
tests_test_perceptron_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_perceptron_LDADD = $(TEST_LDADD)
tests_test_activation_SOURCES = %D%/test-activation.c
tests_test_activation_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_activation_LDADD = $(TEST_LDADD)
tests_test_softmax_SOURCES = %D%/test-softmax.c
tests_test_softmax_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_softmax_LDADD = $(TEST_LDADD)
tests_test_dense_SOURCES = %D%/test-dense.c
tests_test_dense_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_dense_LDADD = $(TEST_LDADD)
tests_test_network_SOURCES = %D%/test-network.c
tests_test_network_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_network_LDADD = $(TEST_LDADD)
tests_test_loss_SOURCES = %D%/test-loss.c
tests_test_loss_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_loss_LDADD = $(TEST_LDADD)
tests_test_checkpoint_SOURCES = %D%/test-checkpoint.c
tests_test_checkpoint_CPPFLAGS = $(TEST_CPPFLAGS) $(ZLIB_CFLAGS)
tests_test_checkpoint_LDADD = $(TEST_LDADD) $(ZLIB_LIBS)
tests_test_dropout_SOURCES = %D%/test-dropout.c
tests_test_dropout_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_dropout_LDADD = $(TEST_LDADD)
tests_test_train_SOURCES = %D%/test-train.c
tests_test_train_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_train_LDADD = $(TEST_LDADD)
tests_test_idx_SOURCES = %D%/test-idx.c
tests_test_idx_CPPFLAGS = $(TEST_CPPFLAGS) $(ZLIB_CFLAGS)
tests_test_idx_LDADD = $(TEST_LDADD) $(ZLIB_LIBS)
tests_test_optim_SOURCES = %D%/test-optim.c %D%/reference/optim-torch.h
tests_test_optim_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_optim_LDADD = $(TEST_LDADD)
EXTRA_DIST += %D%/reference/optim-torch.py
tests_test_gradcheck_SOURCES = %D%/test-gradcheck.c
tests_test_gradcheck_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_gradcheck_LDADD = $(TEST_LDADD)

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
tests_test_grader_SOURCES = %D%/test-grader.c %D%/batchtest.h
tests_test_grader_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_grader_LDADD = $(CMOCKA_LIBS)
EXTRA_DIST += %D%/fixtures

# The sandbox on hostile submissions, with bubblewrap and without.
if HAVE_REFERENCE
check_PROGRAMS += tests/test-sandbox
LONG_TESTS += tests/test-sandbox
TESTS += tests/test-sandbox
endif
tests_test_sandbox_SOURCES = %D%/test-sandbox.c %D%/batchtest.h
tests_test_sandbox_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_sandbox_LDADD = $(CMOCKA_LIBS)

# nngrade batch as a TA uses it: hidden tests, rubric, results.json, resume.
if HAVE_REFERENCE
check_PROGRAMS += tests/test-batch
LONG_TESTS += tests/test-batch
TESTS += tests/test-batch
endif
tests_test_batch_SOURCES = %D%/test-batch.c %D%/batchtest.h
tests_test_batch_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_batch_LDADD = $(CMOCKA_LIBS)

# nngrade batch on what a submission and a TA may hand it: links out of a
# submission folder, calls looked up at run time, the rubric's times.
if HAVE_REFERENCE
check_PROGRAMS += tests/test-submissions
TESTS += tests/test-submissions
endif
tests_test_submissions_SOURCES = %D%/test-submissions.c %D%/batchtest.h
tests_test_submissions_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_submissions_LDADD = $(CMOCKA_LIBS)

# nngrade batch on hard names and with a roster; and what stands around the
# grading: the grader's own setup, --out, check --hidden, --version.
if HAVE_REFERENCE
check_PROGRAMS += tests/test-batch-names tests/test-batch-setup
TESTS += tests/test-batch-names tests/test-batch-setup
endif
tests_test_batch_names_SOURCES = %D%/test-batch-names.c %D%/batchtest.h
tests_test_batch_names_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_batch_names_LDADD = $(CMOCKA_LIBS)
tests_test_batch_setup_SOURCES = %D%/test-batch-setup.c %D%/batchtest.h
tests_test_batch_setup_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_batch_setup_LDADD = $(CMOCKA_LIBS)

# The similarity checker (nngrade similar), linked in directly; it reads the
# reference solution, so it needs the fixtures too.
if HAVE_REFERENCE
check_PROGRAMS += tests/test-similar
TESTS += tests/test-similar
endif
tests_test_similar_SOURCES = %D%/test-similar.c grader/similar.c
tests_test_similar_CPPFLAGS = $(TEST_CPPFLAGS) -I$(srcdir)/grader
tests_test_similar_LDADD = $(CMOCKA_LIBS)

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
tests_test_running_SOURCES = %D%/test-running.c
tests_test_running_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_running_LDADD = lectures/liblesson.a $(TEST_LDADD)

# What nngrade writes (JSON strings, results.json), linked in directly.
check_PROGRAMS += tests/test-report
TESTS += tests/test-report
tests_test_report_SOURCES = %D%/test-report.c grader/report.c
tests_test_report_CPPFLAGS = $(TEST_CPPFLAGS) -I$(srcdir)/grader
tests_test_report_LDADD = $(CMOCKA_LIBS)

# The lesson runtime the lectures share, in one process.
check_PROGRAMS += tests/test-lesson
TESTS += tests/test-lesson
tests_test_lesson_SOURCES = %D%/test-lesson.c
tests_test_lesson_CPPFLAGS = $(TEST_CPPFLAGS) -I$(srcdir)/lectures
tests_test_lesson_LDADD = lectures/liblesson.a $(TEST_LDADD)

# Smoke tests of the lectures: each runs its lecture (built by `make all`).
lecture_tests = tests/test-lecture1
check_PROGRAMS += $(lecture_tests)
TESTS += $(lecture_tests)
tests_test_lecture1_SOURCES = %D%/test-lecture1.c %D%/lecturetest.c %D%/lecturetest.h
tests_test_lecture1_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_lecture1_LDADD = $(CMOCKA_LIBS) $(GSL_LIBS)
EXTRA_tests_test_lecture1_DEPENDENCIES = lectures/lecture1$(EXEEXT)
check_PROGRAMS += tests/test-lecture2
TESTS += tests/test-lecture2
tests_test_lecture2_SOURCES = %D%/test-lecture2.c %D%/lecturetest.c %D%/lecturetest.h
tests_test_lecture2_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_lecture2_LDADD = $(CMOCKA_LIBS) $(GSL_LIBS)
EXTRA_tests_test_lecture2_DEPENDENCIES = lectures/lecture2$(EXEEXT)
check_PROGRAMS += tests/test-lecture3
TESTS += tests/test-lecture3
tests_test_lecture3_SOURCES = %D%/test-lecture3.c %D%/lecturetest.c %D%/lecturetest.h
tests_test_lecture3_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_lecture3_LDADD = lib/libnncourse.la $(CMOCKA_LIBS) $(GSL_LIBS)
EXTRA_tests_test_lecture3_DEPENDENCIES = lectures/lecture3$(EXEEXT)
check_PROGRAMS += tests/test-lecture4
TESTS += tests/test-lecture4
tests_test_lecture4_SOURCES = %D%/test-lecture4.c %D%/lecturetest.c %D%/lecturetest.h
tests_test_lecture4_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_lecture4_LDADD = $(CMOCKA_LIBS) $(GSL_LIBS)
EXTRA_tests_test_lecture4_DEPENDENCIES = lectures/lecture4$(EXEEXT)
check_PROGRAMS += tests/test-lecture5
TESTS += tests/test-lecture5
tests_test_lecture5_SOURCES = %D%/test-lecture5.c %D%/lecturetest.c %D%/lecturetest.h \
	%D%/runningref.h
tests_test_lecture5_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_lecture5_LDADD = $(CMOCKA_LIBS) $(GSL_LIBS)
EXTRA_tests_test_lecture5_DEPENDENCIES = lectures/lecture5$(EXEEXT)
check_PROGRAMS += tests/test-lecture6
TESTS += tests/test-lecture6
tests_test_lecture6_SOURCES = %D%/test-lecture6.c %D%/lecturetest.c %D%/lecturetest.h \
	%D%/runningref.h
tests_test_lecture6_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_lecture6_LDADD = $(CMOCKA_LIBS) $(GSL_LIBS)
EXTRA_tests_test_lecture6_DEPENDENCIES = lectures/lecture6$(EXEEXT)
check_PROGRAMS += tests/test-lecture7
TESTS += tests/test-lecture7
tests_test_lecture7_SOURCES = %D%/test-lecture7.c %D%/lecturetest.c %D%/lecturetest.h \
	%D%/runningref.h
tests_test_lecture7_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_lecture7_LDADD = $(CMOCKA_LIBS) $(GSL_LIBS)
EXTRA_tests_test_lecture7_DEPENDENCIES = lectures/lecture7$(EXEEXT)

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
tests_bench_train_SOURCES = %D%/bench-train.c
tests_bench_train_CPPFLAGS = $(TEST_CPPFLAGS)
tests_bench_train_LDADD = $(TEST_LDADD)
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
tests_test_handout_SOURCES = %D%/test-handout.c
tests_test_handout_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_handout_LDADD = $(CMOCKA_LIBS)
EXTRA_tests_test_handout_DEPENDENCIES = lectures/handout$(EXEEXT)

# The handouts in headless Chromium (skipped without it); they are made
# (make handouts) before the test runs.
check_PROGRAMS += tests/test-handouts-browser
TESTS += tests/test-handouts-browser
tests_test_handouts_browser_SOURCES = %D%/test-handouts-browser.c
tests_test_handouts_browser_CPPFLAGS = $(TEST_CPPFLAGS)
tests_test_handouts_browser_LDADD = $(CMOCKA_LIBS)
EXTRA_tests_test_handouts_browser_DEPENDENCIES = $(HANDOUT_FILES)
