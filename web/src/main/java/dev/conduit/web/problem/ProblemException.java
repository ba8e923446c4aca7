package dev.conduit.web.problem;

import java.util.Objects;

/** Ends a request with a prepared {@link Problem}; for answers that need more than a {@code ConduitException} holds. */
public class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(Objects.requireNonNull(problem, "problem").detail());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
