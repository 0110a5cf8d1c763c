import warnings

import pytest


@pytest.fixture(scope="session")
def cdnow():
    """CDNOW sample (2357 customers, 39-week calibration) as shipped by the lifetimes package."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from lifetimes.datasets import load_cdnow_summary
    return load_cdnow_summary(index_col=[0])


@pytest.fixture(scope="session")
def cdnow_monetary():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from lifetimes.datasets import load_cdnow_summary_data_with_monetary_value
    data = load_cdnow_summary_data_with_monetary_value()
    return data[data.frequency > 0]


@pytest.fixture(scope="session")
def lifetimes_bgf(cdnow):
    from lifetimes import BetaGeoFitter

    return BetaGeoFitter().fit(cdnow.frequency, cdnow.recency, cdnow["T"])


@pytest.fixture(scope="session")
def lifetimes_ggf(cdnow_monetary):
    from lifetimes import GammaGammaFitter

    return GammaGammaFitter().fit(cdnow_monetary.frequency, cdnow_monetary.monetary_value)
