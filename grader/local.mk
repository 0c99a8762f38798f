## grader/: nngrade.
