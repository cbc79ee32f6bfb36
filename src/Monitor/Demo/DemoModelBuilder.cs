using System.Globalization;
using System.Text;

namespace Monitor.Demo;

/// <summary>
/// Builds the demo model: a Dense 4-16-3 softmax classifier of machine condition
/// (<c>normal</c>, <c>worn</c>, <c>faulty</c>) from four sensor readings, trained here on
/// synthetic data and written as ONNX in the shape a tf2onnx export of Keras has.
/// </summary>
/// <remarks>
/// The data are 2,400 rows drawn with a fixed seed from three Gaussian classes of vibration
/// (mm/s), temperature (°C), motor current (A) and noise (dB) whose ranges overlap, so that the
/// model is good but not perfect. 1,800 rows train the network (full-batch Adam, cross-entropy,
/// 600 epochs); the other 600 are written as the labelled sample. Feature standardisation is
/// folded into the first layer, so the model takes raw readings.
/// </remarks>
public static class DemoModelBuilder
{
    public const string ModelName = "machine-condition";

    public const string SampleFileName = "sample.csv";

    internal const int Seed = 20_261_204;

    private const int Features = 4;
    private const int Hidden = 16;
    private const int Classes = 3;
    private const int TrainRows = 1800;
    private const int SampleRows = 600;
    private const int Epochs = 600;

    private static readonly string[] ClassNames = ["normal", "worn", "faulty"];
    private static readonly string[] FeatureNames = ["vibration_mm_s", "temperature_c", "current_a", "noise_db"];
    private static readonly double[][] Means = [[2.0, 60, 10, 65], [4.0, 68, 11.5, 70], [6.5, 80, 14, 77]];
    private static readonly double[] Deviations = [1.1, 5.5, 1.3, 3.8];

    /// <summary>Trains the model and writes <c>&lt;repository&gt;/machine-condition/1/model.onnx</c>, its <c>monitor.json</c> and a labelled sample.</summary>
    /// <returns>The model folder.</returns>
    public static string Build(string repository)
    {
        Random random = new(Seed);
        (float[] features, int[] labels) = Generate(random, TrainRows + SampleRows);

        Network network = Network.Train(features, labels, TrainRows, random);

        string modelDirectory = Path.Combine(repository, ModelName);
        string versionDirectory = Path.Combine(modelDirectory, "1");
        Directory.CreateDirectory(versionDirectory);
        File.WriteAllBytes(Path.Combine(versionDirectory, "model.onnx"), network.ToOnnx());
        File.WriteAllText(
            Path.Combine(modelDirectory, "monitor.json"),
            """
            {
              "task": "classification",
              "classNames": ["normal", "worn", "faulty"],
              "evaluation": { "dataset": "sample.csv", "labelColumn": "label", "intervalSeconds": 60 }
            }

            """);
        WriteSample(Path.Combine(modelDirectory, SampleFileName), features, labels, TrainRows);
        WriteReference(Path.Combine(modelDirectory, Monitor.Quality.ModelQuality.ReferenceFileName), network, features, labels, TrainRows);
        return modelDirectory;
    }

    /// <summary>Writes the reference profile for drift: the model's predictions on the labelled sample.</summary>
    private static void WriteReference(string path, Network network, float[] features, int[] labels, int firstRow)
    {
        Monitor.Quality.ReferenceProfileBuilder reference = new(ClassNames);
        double[] x = new double[Features];
        double[] hidden = new double[Hidden];
        double[] probabilities = new double[Classes];
        for (int row = firstRow; row < labels.Length; row++)
        {
            network.Forward(features.AsSpan(row * Features, Features), x, hidden, probabilities);
            int predicted = Array.IndexOf(probabilities, probabilities.Max());
            reference.Add(predicted, (float)probabilities[predicted], labels[row]);
        }

        reference.Build().Save(path);
    }

    private static (float[] Features, int[] Labels) Generate(Random random, int rows)
    {
        float[] features = new float[rows * Features];
        int[] labels = new int[rows];
        for (int row = 0; row < rows; row++)
        {
            int label = row % Classes;
            labels[row] = label;
            for (int feature = 0; feature < Features; feature++)
            {
                features[(row * Features) + feature] = (float)(Means[label][feature] + (Deviations[feature] * NextGaussian(random)));
            }
        }

        return (features, labels);
    }

    private static double NextGaussian(Random random)
    {
        // Box-Muller transform
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static void WriteSample(string path, float[] features, int[] labels, int firstRow)
    {
        StringBuilder text = new();
        text.AppendLine(string.Join(",", FeatureNames) + ",label");
        for (int row = firstRow; row < labels.Length; row++)
        {
            for (int feature = 0; feature < Features; feature++)
            {
                text.Append(features[(row * Features) + feature].ToString("0.###", CultureInfo.InvariantCulture)).Append(',');
            }

            text.AppendLine(labels[row].ToString(CultureInfo.InvariantCulture));
        }

        File.WriteAllText(path, text.ToString());
    }

    /// <summary>The Dense 4-16-3 network and its training.</summary>
    private sealed class Network
    {
        private readonly double[] w1 = new double[Features * Hidden];
        private readonly double[] b1 = new double[Hidden];
        private readonly double[] w2 = new double[Hidden * Classes];
        private readonly double[] b2 = new double[Classes];
        private readonly double[] mean = new double[Features];
        private readonly double[] scale = new double[Features];

        public static Network Train(float[] features, int[] labels, int rows, Random random)
        {
            Network network = new();
            network.Standardise(features, rows);
            network.Initialise(random);

            Adam adam = new(network.w1.Length + network.b1.Length + network.w2.Length + network.b2.Length);
            for (int epoch = 0; epoch < Epochs; epoch++)
            {
                double[] gradient = network.Gradient(features, labels, rows);
                adam.Step([network.w1, network.b1, network.w2, network.b2], gradient);
            }

            return network;
        }

        /// <summary>Writes the graph; the standardisation is folded into the first MatMul and Add.</summary>
        public byte[] ToOnnx()
        {
            float[] foldedWeights = new float[Features * Hidden];
            float[] foldedBias = new float[Hidden];
            for (int unit = 0; unit < Hidden; unit++)
            {
                double bias = this.b1[unit];
                for (int feature = 0; feature < Features; feature++)
                {
                    double weight = this.w1[(feature * Hidden) + unit] / this.scale[feature];
                    foldedWeights[(feature * Hidden) + unit] = (float)weight;
                    bias -= weight * this.mean[feature];
                }

                foldedBias[unit] = (float)bias;
            }

            OnnxGraphWriter writer = new();
            writer.AddInput("dense_input", "unk__12", Features);
            writer.AddOutput("dense_1", "unk__13", Classes);
            writer.AddInitializer("sequential/dense/MatMul/ReadVariableOp:0", [Features, Hidden], foldedWeights);
            writer.AddInitializer("sequential/dense/BiasAdd/ReadVariableOp:0", [Hidden], foldedBias);
            writer.AddInitializer("sequential/dense_1/MatMul/ReadVariableOp:0", [Hidden, Classes], Array.ConvertAll(this.w2, value => (float)value));
            writer.AddInitializer("sequential/dense_1/BiasAdd/ReadVariableOp:0", [Classes], Array.ConvertAll(this.b2, value => (float)value));
            writer.AddNode("MatMul", "sequential/dense/MatMul", ["dense_input", "sequential/dense/MatMul/ReadVariableOp:0"], "sequential/dense/MatMul:0");
            writer.AddNode("Add", "sequential/dense/BiasAdd", ["sequential/dense/MatMul:0", "sequential/dense/BiasAdd/ReadVariableOp:0"], "sequential/dense/BiasAdd:0");
            writer.AddNode("Relu", "sequential/dense/Relu", ["sequential/dense/BiasAdd:0"], "sequential/dense/Relu:0");
            writer.AddNode("MatMul", "sequential/dense_1/MatMul", ["sequential/dense/Relu:0", "sequential/dense_1/MatMul/ReadVariableOp:0"], "sequential/dense_1/MatMul:0");
            writer.AddNode("Add", "sequential/dense_1/BiasAdd", ["sequential/dense_1/MatMul:0", "sequential/dense_1/BiasAdd/ReadVariableOp:0"], "sequential/dense_1/BiasAdd:0");
            writer.AddNode("Softmax", "sequential/dense_1/Softmax", ["sequential/dense_1/BiasAdd:0"], "dense_1", ("axis", -1));
            return writer.ToBytes("sequential", "monitor-demo", "1.0");
        }

        private void Standardise(float[] features, int rows)
        {
            for (int feature = 0; feature < Features; feature++)
            {
                double sum = 0;
                double squares = 0;
                for (int row = 0; row < rows; row++)
                {
                    double value = features[(row * Features) + feature];
                    sum += value;
                    squares += value * value;
                }

                this.mean[feature] = sum / rows;
                this.scale[feature] = Math.Sqrt(Math.Max((squares / rows) - (this.mean[feature] * this.mean[feature]), 1e-12));
            }
        }

        private void Initialise(Random random)
        {
            // Glorot uniform, as Keras initialises Dense kernels; biases start at zero
            double limit1 = Math.Sqrt(6.0 / (Features + Hidden));
            double limit2 = Math.Sqrt(6.0 / (Hidden + Classes));
            for (int i = 0; i < this.w1.Length; i++)
            {
                this.w1[i] = ((random.NextDouble() * 2) - 1) * limit1;
            }

            for (int i = 0; i < this.w2.Length; i++)
            {
                this.w2[i] = ((random.NextDouble() * 2) - 1) * limit2;
            }
        }

        /// <summary>Writes the softmax probabilities of one row of raw features; <paramref name="x"/> receives the standardised features and <paramref name="hidden"/> the ReLU layer.</summary>
        public void Forward(ReadOnlySpan<float> features, double[] x, double[] hidden, double[] probabilities)
        {
            for (int feature = 0; feature < Features; feature++)
            {
                x[feature] = (features[feature] - this.mean[feature]) / this.scale[feature];
            }

            for (int unit = 0; unit < Hidden; unit++)
            {
                double sum = this.b1[unit];
                for (int feature = 0; feature < Features; feature++)
                {
                    sum += x[feature] * this.w1[(feature * Hidden) + unit];
                }

                hidden[unit] = Math.Max(sum, 0);
            }

            double max = double.NegativeInfinity;
            for (int output = 0; output < Classes; output++)
            {
                double sum = this.b2[output];
                for (int unit = 0; unit < Hidden; unit++)
                {
                    sum += hidden[unit] * this.w2[(unit * Classes) + output];
                }

                probabilities[output] = sum;
                max = Math.Max(max, sum);
            }

            double total = 0;
            for (int output = 0; output < Classes; output++)
            {
                probabilities[output] = Math.Exp(probabilities[output] - max);
                total += probabilities[output];
            }

            for (int output = 0; output < Classes; output++)
            {
                probabilities[output] /= total;
            }
        }

        /// <summary>Returns the mean cross-entropy gradient over the training rows, parameters in w1, b1, w2, b2 order.</summary>
        private double[] Gradient(float[] features, int[] labels, int rows)
        {
            double[] gw1 = new double[this.w1.Length];
            double[] gb1 = new double[this.b1.Length];
            double[] gw2 = new double[this.w2.Length];
            double[] gb2 = new double[this.b2.Length];
            double[] x = new double[Features];
            double[] hidden = new double[Hidden];
            double[] probabilities = new double[Classes];
            double[] hiddenGradient = new double[Hidden];

            for (int row = 0; row < rows; row++)
            {
                this.Forward(features.AsSpan(row * Features, Features), x, hidden, probabilities);
                Array.Clear(hiddenGradient);
                for (int output = 0; output < Classes; output++)
                {
                    double delta = (probabilities[output] - (labels[row] == output ? 1 : 0)) / rows;
                    gb2[output] += delta;
                    for (int unit = 0; unit < Hidden; unit++)
                    {
                        gw2[(unit * Classes) + output] += delta * hidden[unit];
                        hiddenGradient[unit] += delta * this.w2[(unit * Classes) + output];
                    }
                }

                for (int unit = 0; unit < Hidden; unit++)
                {
                    if (hidden[unit] <= 0)
                    {
                        continue;
                    }

                    gb1[unit] += hiddenGradient[unit];
                    for (int feature = 0; feature < Features; feature++)
                    {
                        gw1[(feature * Hidden) + unit] += hiddenGradient[unit] * x[feature];
                    }
                }
            }

            return [.. gw1, .. gb1, .. gw2, .. gb2];
        }
    }

    /// <summary>The Adam optimiser with Keras's defaults except a learning rate of 0.02.</summary>
    private sealed class Adam
    {
        private const double LearningRate = 0.02;
        private const double Beta1 = 0.9;
        private const double Beta2 = 0.999;
        private const double Epsilon = 1e-7;

        private readonly double[] firstMoment;
        private readonly double[] secondMoment;
        private int step;

        public Adam(int parameters)
        {
            this.firstMoment = new double[parameters];
            this.secondMoment = new double[parameters];
        }

        public void Step(double[][] parameters, double[] gradient)
        {
            this.step++;
            double correction1 = 1 - Math.Pow(Beta1, this.step);
            double correction2 = 1 - Math.Pow(Beta2, this.step);
            int index = 0;
            foreach (double[] block in parameters)
            {
                for (int i = 0; i < block.Length; i++, index++)
                {
                    this.firstMoment[index] = (Beta1 * this.firstMoment[index]) + ((1 - Beta1) * gradient[index]);
                    this.secondMoment[index] = (Beta2 * this.secondMoment[index]) + ((1 - Beta2) * gradient[index] * gradient[index]);
                    double corrected = this.firstMoment[index] / correction1;
                    block[i] -= LearningRate * corrected / (Math.Sqrt(this.secondMoment[index] / correction2) + Epsilon);
                }
            }
        }
    }
}
