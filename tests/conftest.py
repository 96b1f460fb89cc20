import pytest
import torch

import ddim_teach as dt


@pytest.fixture(scope="session")
def linear():
    return dt.make_schedule("linear", T=1000)


@pytest.fixture
def gen():
    return torch.Generator().manual_seed(1234)
