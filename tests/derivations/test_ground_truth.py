"""The ground truth, against gradients written out by hand and a numeric difference quotient."""

import mpmath
import sympy as sp

from derivations import Architecture, Network, grad_b, grad_N, grad_Sigma, grad_W, mse


def test_one_neuron_by_hand():
    net = Network(Architecture((2, 1)))
    d, (x1, x2) = net.sigma_prime(1, 0), net.X
    assert grad_W(net, 1) == sp.Matrix([[d * x1, d * x2]])


def test_two_layers_by_hand():
    net = Network(Architecture((1, 2, 1)))
    x = net.X[0]
    d2, (d11, d12), (w1, w2) = net.sigma_prime(2, 0), net.Sigma_prime(1), net.W(2)
    assert sp.expand(grad_W(net, 1) - sp.Matrix([[d2 * w1 * d11 * x], [d2 * w2 * d12 * x]])) == sp.zeros(2, 1)
    assert sp.expand(grad_W(net, 2) - d2 * net.Sigma(1).T) == sp.zeros(1, 2)


def test_grad_sigma_top_is_the_seed_and_grad_n_is_delta():
    net = Network(Architecture((2, 2, 1)))
    assert grad_Sigma(net, 2) == sp.Matrix([[1]])
    assert sp.expand(grad_N(net, 2) - net.Sigma_prime(2)) == sp.zeros(1, 1)


def test_mse_batch_gradient_by_hand():
    net = Network(Architecture((1, 1), "sigma", "affine"), batch=2)
    s, d, y, x = net.Sigma(1), net.Sigma_prime(1), net.Y, net.X
    expected_b = sum((s[0, j] - y[0, j]) * d[0, j] for j in range(2)) / 2   # 1/(2m) sum (a-y)^2, m = 2
    assert sp.expand(grad_b(net, 1, mse())[0] - expected_b) == 0
    expected_w = sum((s[0, j] - y[0, j]) * d[0, j] * x[0, j] for j in range(2)) / 2
    assert sp.expand(grad_W(net, 1, mse())[0] - expected_w) == 0


def test_ground_truth_matches_a_difference_quotient_for_tanh():
    """Numeric spot check (central difference, h = 1e-20 at 40 digits; tolerance 1e-15), not a proof."""
    mpmath.mp.dps = 40
    net = Network(Architecture((2, 2, 1), "tanh"))
    point = {s: sp.Rational(k + 1, 7) * (-1) ** k for k, s in
             enumerate(list(net.X) + list(net.W(1)) + list(net.W(2)))}
    f = net.f()[0]
    layer_values = {}
    for i in (1, 2):
        N = net.N(i).xreplace({**point, **layer_values})
        for j in range(net.n(i)):
            layer_values[net.sigma(i, j)] = sp.tanh(N[j])
            layer_values[net.sigma_prime(i, j)] = 1 - sp.tanh(N[j]) ** 2
    G = grad_W(net, 1)
    h = sp.Float("1e-20", 40)
    for r in range(2):
        for c in range(2):
            w = net.W(1)[r, c]
            plus = f.xreplace({**point, w: point[w] + h})
            minus = f.xreplace({**point, w: point[w] - h})
            numeric = sp.N((plus - minus) / (2 * h), 40)
            exact = sp.N(G[r, c].xreplace(layer_values).xreplace(point), 40)
            assert abs(numeric - exact) < 1e-15


def test_engine_truth_has_the_entries_of_every_sympy_gradient():
    from derivations.ground_truth import engine_truth

    for arch, objective in [(Architecture((2, 2, 1)), None), (Architecture((2, 3, 2), "tanh", "affine"), mse())]:
        net = Network(arch)
        cases = [(grad_W, i) for i in (1, 2)] + [(grad_N, i) for i in (1, 2)] + [(grad_Sigma, r) for r in (0, 1, 2)]
        cases += [(grad_b, i) for i in (1, 2)] if arch.form == "affine" else []
        for truth, i in cases:
            args = (net, i) if objective is None else (net, i, objective)
            engine = engine_truth(truth, *args)
            assert sp.Matrix(engine.rows, engine.cols, [sp.sympify(e) for e in engine]) == truth(*args), (truth, i)
    assert engine_truth(lambda net, i: net.W(i), Network(Architecture((2, 1))), 1) is None


def test_sympy_gradient_is_a_fresh_copy_of_the_memoised_one():
    net = Network(Architecture((2, 1)))
    first = grad_W(net, 1)
    first[0, 0] = 0
    assert grad_W(net, 1)[0, 0] == net.sigma_prime(1, 0) * net.X[0]


def test_engine_matrix_takes_the_ground_truths_own_symengine_matrix_back():
    from derivations.ground_truth import engine_grad, engine_matrix

    net = Network(Architecture((2, 2, 1)))
    assert engine_matrix(net, grad_W(net, 1)) is engine_grad(net, net.W(1))
    other = 2 * grad_W(net, 1)
    converted = engine_matrix(net, other)
    assert sp.Matrix(2, 2, [sp.sympify(e) for e in converted]) == other
