# SPDX-License-Identifier: GPL-3.0-or-later
## grader/: nngrade, the exercise grader.
##
## nngrade itself (trusted) links the cmocka suites, the test kit and the
## library, which computes the expected answers. Student code is linked
## only into probes, built by nngrade at grading time from the student's
## object file and the exercise's probe library (libnngrade-exNN.a), which
## holds the probe's main loop and the exercise's dispatcher. The probe
## libraries are built without sanitizers: probes run under memory limits.

bin_PROGRAMS += grader/nngrade
grader_nngrade_SOURCES = \
	%D%/nngrade.c \
	%D%/batch.c %D%/batch.h \
	%D%/state.c %D%/state.h \
	%D%/rubric.c %D%/rubric.h \
	%D%/hidden.c %D%/hidden.h \
	%D%/grade.c %D%/grade.h \
	%D%/report.c %D%/report.h \
	%D%/similar.c %D%/similar.h \
	%D%/unpack.c %D%/unpack.h \
	%D%/sandbox.c %D%/sandbox-private.h %D%/sandbox-folders.c \
	%D%/sandbox-spawn.c %D%/sandbox-bwrap.c %D%/sandbox-ns.c %D%/sandbox-plain.c \
	%D%/sandbox-run.c %D%/sandbox-probe.c \
	%D%/testkit.c \
	%D%/proto.c \
	%D%/probe.h \
	%D%/exercises.c %D%/exercises.h \
	%D%/remote-ex01.c %D%/suite-ex01.c \
	%D%/remote-ex02.c %D%/suite-ex02.c \
	%D%/remote-ex03.c %D%/suite-ex03.c \
	%D%/remote-ex04.c %D%/suite-ex04.c \
	%D%/remote-ex05.c %D%/suite-ex05.c \
	%D%/remote-ex06.c %D%/suite-ex06.c \
	%D%/remote-ex07.c %D%/suite-ex07.c
grader_nngrade_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) $(LIBARCHIVE_CFLAGS) \
	-DNNGRADE_EXERCISES_DIR='"$(pkgdatadir)/exercises"' \
	-DNNGRADE_PROBE_DIR='"$(pkglibdir)"' \
	-DNNGRADE_SUPERVISOR='"$(pkglibexecdir)/nngrade-supervise"' \
	-DNNGRADE_CC='"$(CC)"' \
	-DNNGRADE_STUDENT_CFLAGS='"$(GSL_CFLAGS)"' \
	-DNNGRADE_STUDENT_LDFLAGS='"$(NNGRADE_PROBE_LDFLAGS)"' \
	-DNNGRADE_STUDENT_LIBS='"$(NNGRADE_PROBE_LDFLAGS) $(NNGRADE_PROBE_LIBS) -lm"' \
	-DNNGRADE_INCLUDE_DIR='"$(nngradeincludedir)"' \
	-DNNGRADE_LIB_INCLUDE_DIR='"$(includedir)"' \
	-DNNGRADE_JUDGE_CFLAGS='"$(GSL_CFLAGS) $(CMOCKA_CFLAGS)"' \
	-DNNGRADE_REFERENCE_DIR='"$(referencedir)"' \
	-DNNGRADE_BUILD_DIR='"$(abs_top_builddir)"' \
	-DNNGRADE_SOURCE_DIR='"$(abs_top_srcdir)"'
grader_nngrade_LDADD = lib/libnncourse.la $(CMOCKA_LIBS) $(LIBARCHIVE_LIBS) $(GSL_LIBS) \
	$(LIBCSV_LIBS)
# Hidden tests are shared objects that nngrade loads: they call the test kit
# and the remote stubs in nngrade itself, so nngrade exports its symbols.
grader_nngrade_LDFLAGS = -export-dynamic

# The library's own code, which nngrade similar compares submissions with.
referencedir = $(pkgdatadir)/reference
reference_DATA = $(filter %.c,$(lib_libnncourse_la_SOURCES))

# The headers hidden tests are written with.
nngradeincludedir = $(pkgincludedir)/grader
nngradeinclude_HEADERS = %D%/testkit.h %D%/proto.h %D%/sandbox.h \
	%D%/calls-ex01.h %D%/remote-ex01.h \
	%D%/calls-ex02.h %D%/remote-ex02.h \
	%D%/calls-ex03.h %D%/remote-ex03.h \
	%D%/calls-ex04.h %D%/remote-ex04.h \
	%D%/calls-ex05.h %D%/remote-ex05.h \
	%D%/calls-ex06.h %D%/remote-ex06.h \
	%D%/calls-ex07.h %D%/remote-ex07.h

dist_man1_MANS = %D%/nngrade.1
EXTRA_DIST += %D%/ADDING-AN-EXERCISE.md %D%/gradescope/setup.sh \
	%D%/gradescope/run_autograder %D%/gradescope/README.md

# make gradescope-autograder [HIDDEN=dir] [RUBRIC=file]: the autograder zip.
gradescope-autograder: dist-gzip
	$(AM_V_GEN)rm -rf gradescope-stage nncourse-autograder.zip && \
	$(MKDIR_P) gradescope-stage && \
	cp $(srcdir)/grader/gradescope/setup.sh $(srcdir)/grader/gradescope/run_autograder \
	  $(DIST_ARCHIVES) gradescope-stage/ && \
	if test -n "$(HIDDEN)"; then cp -R "$(HIDDEN)" gradescope-stage/hidden; fi && \
	if test -n "$(RUBRIC)"; then cp "$(RUBRIC)" gradescope-stage/rubric.txt; fi && \
	(cd gradescope-stage && zip -qr ../nncourse-autograder.zip .) && \
	rm -rf gradescope-stage && echo "wrote nncourse-autograder.zip"
PHONY_TARGETS += gradescope-autograder
CLEANFILES += nncourse-autograder.zip

# The supervisor every probe runs under, inside its sandbox (supervise.c):
# it reports how the probe ended and what it used, and puts it under the
# system-call filter. Only system libraries, and no sanitizers: a sandbox
# sees nothing else, and a probe's memory limit holds for it too. nngrade
# finds it beside the probe libraries in the build tree.
pkglibexec_PROGRAMS = grader/nngrade-supervise
grader_nngrade_supervise_SOURCES = %D%/supervise.c
grader_nngrade_supervise_CPPFLAGS = -I$(top_builddir)
grader_nngrade_supervise_CFLAGS = -std=gnu11 -Wall -Wextra $(LIBSECCOMP_CFLAGS)
grader_nngrade_supervise_LDFLAGS =
grader_nngrade_supervise_LDADD = $(LIBSECCOMP_LIBS)
# nngrade runs no probe without it: whatever needs nngrade gets both.
EXTRA_grader_nngrade_DEPENDENCIES = grader/nngrade-supervise$(EXEEXT)

# One probe library per exercise.
PROBE_CFLAGS = -std=gnu11 -Wall -Wextra $(GSL_CFLAGS)
PROBE_CPPFLAGS = -I$(top_builddir) -I$(srcdir)/grader
pkglib_LIBRARIES += grader/libnngrade-ex01.a
grader_libnngrade_ex01_a_SOURCES = %D%/probe-main.c %D%/probe-watch.c %D%/probe-ex01.c \
	%D%/proto.c
grader_libnngrade_ex01_a_CPPFLAGS = $(PROBE_CPPFLAGS) -I$(srcdir)/exercises/ex01
grader_libnngrade_ex01_a_CFLAGS = $(PROBE_CFLAGS)
pkglib_LIBRARIES += grader/libnngrade-ex02.a
grader_libnngrade_ex02_a_SOURCES = %D%/probe-main.c %D%/probe-watch.c %D%/probe-ex02.c \
	%D%/proto.c
grader_libnngrade_ex02_a_CPPFLAGS = $(PROBE_CPPFLAGS) -I$(srcdir)/exercises/ex02
grader_libnngrade_ex02_a_CFLAGS = $(PROBE_CFLAGS)
pkglib_LIBRARIES += grader/libnngrade-ex03.a
grader_libnngrade_ex03_a_SOURCES = %D%/probe-main.c %D%/probe-watch.c %D%/probe-ex03.c \
	%D%/proto.c
grader_libnngrade_ex03_a_CPPFLAGS = $(PROBE_CPPFLAGS) -I$(srcdir)/exercises/ex03
grader_libnngrade_ex03_a_CFLAGS = $(PROBE_CFLAGS)
pkglib_LIBRARIES += grader/libnngrade-ex04.a
grader_libnngrade_ex04_a_SOURCES = %D%/probe-main.c %D%/probe-watch.c %D%/probe-ex04.c \
	%D%/proto.c
grader_libnngrade_ex04_a_CPPFLAGS = $(PROBE_CPPFLAGS) -I$(srcdir)/exercises/ex04
grader_libnngrade_ex04_a_CFLAGS = $(PROBE_CFLAGS)
pkglib_LIBRARIES += grader/libnngrade-ex05.a
grader_libnngrade_ex05_a_SOURCES = %D%/probe-main.c %D%/probe-watch.c %D%/probe-ex05.c \
	%D%/proto.c
grader_libnngrade_ex05_a_CPPFLAGS = $(PROBE_CPPFLAGS) -I$(srcdir)/exercises/ex05
grader_libnngrade_ex05_a_CFLAGS = $(PROBE_CFLAGS)
pkglib_LIBRARIES += grader/libnngrade-ex06.a
grader_libnngrade_ex06_a_SOURCES = %D%/probe-main.c %D%/probe-watch.c %D%/probe-ex06.c \
	%D%/proto.c
grader_libnngrade_ex06_a_CPPFLAGS = $(PROBE_CPPFLAGS) -I$(srcdir)/exercises/ex06
grader_libnngrade_ex06_a_CFLAGS = $(PROBE_CFLAGS)
pkglib_LIBRARIES += grader/libnngrade-ex07.a
grader_libnngrade_ex07_a_SOURCES = %D%/probe-main.c %D%/probe-watch.c %D%/probe-ex07.c \
	%D%/proto.c
grader_libnngrade_ex07_a_CPPFLAGS = $(PROBE_CPPFLAGS) -I$(srcdir)/exercises/ex07
grader_libnngrade_ex07_a_CFLAGS = $(PROBE_CFLAGS)

# nngrade run from the build tree uses the build tree's headers and probes.
NNGRADE_IN_TREE = \
	NNGRADE_REFERENCE_DIR='$(abs_top_srcdir)/lib' \
	NNGRADE_INCLUDE_DIR='$(abs_top_srcdir)/grader' \
	NNGRADE_LIB_INCLUDE_DIR='$(abs_top_srcdir)/lib' \
	NNGRADE_EXERCISES_DIR='$(abs_top_srcdir)/exercises' \
	NNGRADE_PROBE_DIR='$(abs_top_builddir)/grader'
