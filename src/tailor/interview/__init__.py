"""Interview readiness (`tailor prep`, `tailor.prep`): the likely questions, the CV lines
that answer them, what a strong answer covers and which of it the CV shows; with an LLM,
talking points drawn from the CV's own facts. (Named `interview` so that `tailor.prep` stays
the function of the public API.)"""
