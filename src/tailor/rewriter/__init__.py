"""Rewriting a CV for a target: the TailoredCV model and the engines that produce it."""
