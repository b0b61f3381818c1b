ADULT = "34052419800101001X"
COMPANY = "91440300MA5F3X1231"  # the check character is right


def checks(**states):
    """checks(申报表="present", ...) keyed by the start of the material's name."""
    from weimin.cases.actions import MaterialCheck

    names = {"form": "建设工程消防验收申报表", "product": "消防产品质量合格证明文件", "proxy": "委托书"}
    return [MaterialCheck(names[key], state) for key, state in states.items()]
