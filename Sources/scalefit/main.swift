import ScaleFit
print("scalefit: under construction")
