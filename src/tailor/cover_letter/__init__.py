"""Cover letters (`tailor letter`, `tailor.letter`): a letter for one job posting, each
sentence resting on the CV lines it cites. Offline, an honest draft made of the user's own
lines; with an LLM, the model's prose, every sentence checked against the lines it cites.
(Named `cover_letter` so that `tailor.letter` stays the function of the public API.)"""
